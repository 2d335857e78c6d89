//! Writes the audience benchmark's 1,000,000 members as tab-separated lines, for
//! the Python comparison: `cargo run --release -p kitle-benches --example audience_members -- FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: audience_members FILE");
        std::process::exit(2);
    };
    let text: String = kitle_benches::audience_members(1_000_000).iter().map(|m| m.join("\t") + "\n").collect();
    if let Err(e) = std::fs::write(&path, text) {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    }
}
