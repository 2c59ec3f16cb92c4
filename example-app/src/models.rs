//! The app's models: the schema it expects. `boot` refuses to start when the database differs,
//! and `db revision --autogenerate` writes the revision that makes it so.

use migrations_core::schema::{Column, ColumnType, Schema, Table};

/// The todo list's schema.
pub fn schema() -> Schema {
    Schema::new().table(
        Table::new("todos")
            .column(Column::new("id", ColumnType::BigInt).identity())
            .column(Column::new("title", ColumnType::Varchar(255)).not_null())
            .column(Column::new("description", ColumnType::Text))
            .column(
                Column::new("is_completed", ColumnType::Boolean)
                    .not_null()
                    .default_sql("false"),
            )
            .column(
                Column::new("created_at", ColumnType::Timestamp)
                    .not_null()
                    .default_now(),
            )
            .column(Column::new("deleted_at", ColumnType::Timestamp))
            .primary_key(["id"]),
    )
}
