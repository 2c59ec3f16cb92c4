//! A todo app that keeps its schema with migrations-core: it boots (upgrades) its database on
//! every start and carries the `db` command line.
//!
//! ```text
//! example-app add "buy milk"      example-app list [--all]
//! example-app done 1              example-app delete 1
//! example-app db upgrade head     example-app db downgrade -1     example-app db history
//! ```

use clap::{Parser, Subcommand};
use migrations_core::cli::DbArgs;
use migrations_core::database::{Database, DEFAULT_URL};

mod models;
mod todos;

static MIGRATIONS: migrations_core::Migrations = migrations_core::include_migrations!();

#[derive(Parser)]
#[command(
    name = "example-app",
    about = "A todo list whose schema is kept by migrations-core"
)]
struct Args {
    /// Database URL: sqlite:PATH, sqlite::memory:, postgres://…
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_URL, global = true, hide_env_values = true)]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Add a todo
    Add {
        /// What to do
        title: String,
        /// More details
        #[arg(short, long)]
        description: Option<String>,
    },
    /// List todos (not deleted ones, unless --all)
    List {
        /// Include soft-deleted todos
        #[arg(long)]
        all: bool,
    },
    /// Mark a todo done
    Done {
        /// The todo's id
        id: i64,
    },
    /// Soft-delete a todo
    Delete {
        /// The todo's id
        id: i64,
    },
    /// Manage the database schema (Alembic's verbs)
    Db(DbArgs),
}

fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .format_target(false)
        .init();
    let args = Args::parse();
    let result = match args.command {
        // `--database-url` is global: clap hands it to `db` too.
        Command::Db(db) => migrations_core::cli::execute(
            &MIGRATIONS,
            &models::schema(),
            &db,
            &mut std::io::stdout().lock(),
        )
        .map_err(Into::into),
        command => run_app(&args.database_url, command),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// Boots the database (upgrade to head, drift check against the models), then does the app's
/// job.
fn run_app(url: &str, command: Command) -> todos::Result<()> {
    let mut db = Database::open(url)?;
    MIGRATIONS.boot(&mut db, &models::schema())?;
    let mut out = std::io::stdout().lock();
    match command {
        Command::Add { title, description } => {
            todos::add(&mut db, &title, description.as_deref(), &mut out)
        }
        Command::List { all } => todos::list(&mut db, all, &mut out),
        Command::Done { id } => todos::done(&mut db, id, &mut out),
        Command::Delete { id } => todos::delete(&mut db, id, &mut out),
        Command::Db(_) => unreachable!("handled in main"),
    }
}

#[cfg(test)]
mod tests {
    use super::{models, MIGRATIONS};
    use migrations_core::testing::{
        assert_models_match, assert_round_trips, assert_snapshot_current, TestDatabase,
    };

    #[test]
    fn revisions_round_trip_on_sqlite() {
        let mut conn = migrations_core::rusqlite::Connection::open_in_memory().unwrap();
        assert_round_trips(&MIGRATIONS, &mut conn);
    }

    #[test]
    fn revisions_round_trip_on_postgres() {
        let Some(db) = TestDatabase::create() else {
            return;
        };
        assert_round_trips(&MIGRATIONS, &mut db.connect());
    }

    #[test]
    fn migrations_produce_the_models_on_sqlite() {
        let mut conn = migrations_core::rusqlite::Connection::open_in_memory().unwrap();
        assert_models_match(&MIGRATIONS, &models::schema(), &mut conn);
    }

    #[test]
    fn migrations_produce_the_models_on_postgres() {
        let Some(db) = TestDatabase::create() else {
            return;
        };
        assert_models_match(&MIGRATIONS, &models::schema(), &mut db.connect());
    }

    #[test]
    fn the_snapshot_is_current() {
        assert_snapshot_current(&MIGRATIONS);
    }
}
