fn main() {
    migrations_build::embed("migrations");
}
