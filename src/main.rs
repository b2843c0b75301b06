fn main() {
    std::process::exit(imprimatur::cli::main());
}
