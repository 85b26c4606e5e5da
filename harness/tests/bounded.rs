//! The harness's own work is bounded by design, whatever the book holds:
//! matching an output cut with `...` lines, and the spans that may differ,
//! at 10,000 lines, within 100 MB (the process's peak resident set, as the
//! kernel counts it; one test, so nothing else runs beside it).
//! The matching once held a table of lines by lines: 10,000 recorded lines
//! against 20,000 printed took some 200 MB.

/// The most memory this process held at once (its peak resident set,
/// from the kernel) while `work` ran: the peak is reset first.
fn peak_of(work: impl FnOnce()) -> usize {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak resident set");
    let held = |field: &str| -> usize {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| {
                v.trim()
                    .trim_end_matches(" kB")
                    .trim()
                    .parse::<usize>()
                    .ok()
            })
            .unwrap()
            * 1024
    };
    let before = held("VmRSS:");
    work();
    held("VmHWM:").saturating_sub(before)
}

#[test]
fn ten_thousand_lines_are_matched_within_100_mb() {
    let came: String = (0..20_000).map(|i| format!("cup {}\n", i % 7)).collect();
    let mut wanted: String = (0..10_000)
        .map(|i| {
            if i % 2 == 0 {
                "...\n".to_string()
            } else {
                format!("cup {}\n", i % 7)
            }
        })
        .collect();
    wanted.push_str("...\n");
    let mut matched = false;
    let peak = peak_of(|| {
        matched = harness::running::transcript::matches_elided(&wanted, &came, false);
    });
    assert!(matched);
    assert!(peak < 100 << 20, "matching held {} MB", peak >> 20);

    // The spans that may differ, over 10,000 lines: each compiled once.
    let text: String = (0..10_000).map(|i| format!("took {i} ms\n")).collect();
    let varies: harness::book::metadata::Varies =
        toml::from_str("why = \"timing\"\nspans = ['\\d+ ms']\n").unwrap();
    let mut out = String::new();
    let peak = peak_of(|| {
        out = harness::running::transcript::apply_varies(&text, &varies, |_| false);
    });
    assert!(out.lines().all(|l| l == "took [..]"), "{}", &out[..40]);
    assert!(peak < 100 << 20, "applying spans held {} MB", peak >> 20);
}
