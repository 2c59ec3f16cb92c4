//! End-to-end tests of the user's path, in one test binary.
//!
//! - [`validate`]: library-level tests of `migrations_build::validate` on temp folders (fast).
//! - [`cargo_build`]: scratch apps built with the real `cargo` (slow, few; they share one
//!   target dir and run one at a time).
//! - [`readme`]: a scratch app made only of the README's code blocks, on both backends.
//! - [`adopt`]: public sample databases adopted with `db inspect` and `db baseline`, and the
//!   history tables of other tools left out.

#[path = "e2e/support.rs"]
mod support;

#[path = "e2e/validate.rs"]
mod validate;

#[path = "e2e/cargo_build.rs"]
mod cargo_build;

#[path = "e2e/readme.rs"]
mod readme;

#[path = "e2e/adopt.rs"]
mod adopt;
