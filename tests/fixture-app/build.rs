fn main() {
    migrations_build::embed_named("fixtures/failing", "failing");
    migrations_build::embed_named("fixtures/slow", "slow");
    migrations_build::embed_named("fixtures/halfway", "halfway");
    migrations_build::embed_named("fixtures/sleepy", "sleepy");
}
