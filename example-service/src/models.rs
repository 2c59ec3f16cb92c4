//! The service's models: the schema it expects. The boot refuses to start when the database
//! differs.

use migrations_core::schema::{Column, ColumnType, Index, Schema, Table};

/// The notes' schema.
pub fn schema() -> Schema {
    Schema::new().table(
        Table::new("notes")
            .column(Column::new("id", ColumnType::BigInt).identity())
            .column(Column::new("body", ColumnType::Text).not_null())
            .column(
                Column::new("created_at", ColumnType::TimestampTz)
                    .not_null()
                    .default_now(),
            )
            .column(Column::new("slug", ColumnType::Varchar(64)))
            .primary_key(["id"])
            .index(Index::new("notes_slug", ["slug"]).unique()),
    )
}
