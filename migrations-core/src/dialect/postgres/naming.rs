//! The names PostgreSQL chooses for constraints nobody named, written once: the prediction
//! predicts them, autogenerate drops constraints by them, and rendering names unique indexes
//! after them.
//!
//! ```
//! use migrations_core::dialect::postgres::naming;
//!
//! assert_eq!(naming::primary_key("todos"), "todos_pkey");
//! assert_eq!(naming::unique("users", &["email".to_string()]), "users_email_key");
//! assert_eq!(naming::foreign_key("todos", &["user_id".to_string()]), "todos_user_id_fkey");
//! assert_eq!(naming::check("todos", Some("title")), "todos_title_check");
//! assert_eq!(naming::check("todos", None), "todos_check");
//! ```
//!
//! PostgreSQL joins the table's and the columns' names as they are (no character is dropped),
//! and numbers a name already taken in the table (`t_check1`); names over 63 bytes it cuts,
//! which the prediction declines to guess.

/// `<table>_pkey`.
pub fn primary_key(table: &str) -> String {
    format!("{table}_pkey")
}

/// `<table>_<column>_…_key`: a unique constraint.
pub fn unique(table: &str, columns: &[String]) -> String {
    format!("{table}_{}_key", columns.join("_"))
}

/// `<table>_<column>_…_fkey`: a foreign key.
pub fn foreign_key(table: &str, columns: &[String]) -> String {
    format!("{table}_{}_fkey", columns.join("_"))
}

/// `<table>_<column>_check` for a check that tests exactly one column, else `<table>_check`.
pub fn check(table: &str, only_column: Option<&str>) -> String {
    match only_column {
        Some(column) => format!("{table}_{column}_check"),
        None => format!("{table}_check"),
    }
}
