//! PostgreSQL's dialect: what it names, how it deparses, what it predicts. No connection needed.

pub(crate) mod alter;
pub mod naming;
mod predict;

pub use predict::as_built;

use crate::schema::Action;

/// The referential action of a `pg_constraint.confdeltype`/`confupdtype` code.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn fk_action(code: &str) -> Action {
    match code {
        "r" => Action::Restrict,
        "c" => Action::Cascade,
        "n" => Action::SetNull,
        "d" => Action::SetDefault,
        _ => Action::NoAction,
    }
}

/// `"Weird Name"` as `Weird Name`; anything else (a plain name, an expression) as it is.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn unquote(s: &str) -> String {
    match s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) if !inner.replace("\"\"", "").contains('"') => inner.replace("\"\"", "\""),
        _ => s.to_string(),
    }
}
