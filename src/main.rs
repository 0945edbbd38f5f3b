use std::io::BufRead;
fn main() {
    let langs = claimcheck::lang::Languages::load(std::path::Path::new("claims/lang")).unwrap();
    let code = std::env::args().nth(3).unwrap();
    let l = langs.get(&code).unwrap();
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let n = claimcheck::number::scan::scan_text(&line, l);
        println!("{}", serde_json::json!({"input": line, "numbers": n}));
    }
}
