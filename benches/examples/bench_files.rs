//! Makes the benchmarks' generated files (once; they are kept under
//! `target/bench-data`) and prints their paths, for scripts that time other
//! programs on the same files: `bench_files order-heavy [CUSTOMERS]` prints the
//! customers file and the order-lines file, `bench_files customers [ROWS]` the wide
//! customers file.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let what = args.first().map_or("order-heavy", String::as_str);
    let count = |default| args.get(1).and_then(|a| a.parse().ok()).unwrap_or(default);
    match what {
        "customers" => println!("{}", kitle_benches::customers_csv(count(10_000_000)).display()),
        "order-heavy" => {
            let customers = count(1_000_000);
            println!("{}", kitle_benches::customers_csv(customers).display());
            println!("{}", kitle_benches::order_lines_csv(customers).display());
        }
        other => {
            eprintln!("bench_files: `{other}` is not a set of files (customers, order-heavy)");
            std::process::exit(2);
        }
    }
}
