fn main() {
    // ANCHOR: sum
    let n: u64 = 1_000_000;
    let mut total: u64 = 0;
    for i in 1..=n {
        total += i;
    }
    println!("summed {n} integers");
    println!("total = {total}");
    // ANCHOR_END: sum

    // ANCHOR: memory
    let rust_int_bytes = std::mem::size_of::<u64>();
    let python_int_bytes: usize = 28;
    println!("one u64 in Rust  = {rust_int_bytes} bytes");
    println!("one int  in Py3  = {python_int_bytes} bytes (header + refcount + value)");
    println!("1M of them: Rust {} MB, Python {} MB",
        rust_int_bytes * 1_000_000 / 1_048_576,
        python_int_bytes * 1_000_000 / 1_048_576,
    );
    // ANCHOR_END: memory
}
