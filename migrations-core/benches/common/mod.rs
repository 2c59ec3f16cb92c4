//! Generated models shared by the benches.

use migrations_core::schema::{Action, Column, ColumnType, ForeignKey, Index, Schema, Table};

/// `n` tables of 8 columns, a unique constraint, an index, a check and a foreign key each.
pub fn models(n: usize) -> Schema {
    (0..n).fold(Schema::new(), |s, i| {
        let mut t = Table::new(format!("table_{i:03}"))
            .column(Column::new("id", ColumnType::BigInt).identity())
            .column(Column::new("name", ColumnType::Varchar(120)).not_null())
            .column(Column::new("body", ColumnType::Text))
            .column(
                Column::new("amount", ColumnType::Numeric(12, 2))
                    .not_null()
                    .default_sql("0"),
            )
            .column(
                Column::new("active", ColumnType::Boolean)
                    .not_null()
                    .default_sql("true"),
            )
            .column(
                Column::new("created_at", ColumnType::Timestamp)
                    .not_null()
                    .default_now(),
            )
            .column(Column::new("parent_id", ColumnType::BigInt))
            .column(Column::new("data", ColumnType::Json))
            .primary_key(["id"])
            .unique(["name"])
            .index(Index::new(
                format!("table_{i:03}_parent"),
                ["parent_id", "created_at"],
            ))
            .check("amount >= 0");
        if i > 0 {
            t = t.foreign_key(
                ForeignKey::new(["parent_id"], format!("table_{:03}", i - 1), ["id"])
                    .on_delete(Action::SetNull),
            );
        }
        s.table(t)
    })
}
