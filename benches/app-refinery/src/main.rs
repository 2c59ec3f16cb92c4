//! Runs the 1,000 embedded refinery migrations on a SQLite database (proof that they are embedded).
refinery::embed_migrations!("../target/gen/refinery");

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| ":memory:".into());
    let mut conn = rusqlite::Connection::open(path).expect("open");
    let runner = migrations::runner();
    let n = runner.get_migrations().len();
    let report = runner.run(&mut conn).expect("run");
    println!(
        "refinery: {n} migrations embedded, {} applied",
        report.applied_migrations().len()
    );
}
