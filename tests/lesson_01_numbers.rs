//! The numbers lesson 1's prose quotes from listing-01-01's output must be
//! the numbers the checked output holds. Each rule reads a number out of
//! `output.txt` and says how the prose words it; if the output changes, the
//! test names the sentence that now says something else.

use std::path::Path;
use std::process::Command;

use regex::Regex;

const CHAPTER: &str = "src/ch01-why-systems-programming.md";
const OUTPUT: &str = "listings/ch01-why-systems-programming/listing-01-01/output.txt";

/// One number quoted in the prose.
struct Quote {
    /// Finds the number in the output.
    output: &'static str,
    /// A phrase that finds the sentence in the chapter, whatever the number.
    sentence: &'static str,
    /// The wording the sentence must have, with `{}` for the number.
    wording: &'static str,
    words: fn(u64) -> String,
}

const QUOTES: &[Quote] = &[
    Quote {
        output: r"total = (\d+)",
        sentence: "The number that comes back is",
        wording: "The number that comes back is {}",
        words: with_commas,
    },
    Quote {
        output: r"one u64 in Rust\s+= (\d+) bytes",
        sentence: "bytes flat, sitting in a register",
        wording: "A Rust u64 is {} bytes flat, sitting in a register",
        words: digits,
    },
    Quote {
        output: r"one int\s+in Py3\s+= (\d+) bytes",
        sentence: "bytes, because each one carries",
        wording: "It is {} bytes, because each one carries",
        words: digits,
    },
    Quote {
        output: r"Rust (\d+) MB",
        sentence: "megabytes for the same data in Rust",
        wording: "{} megabytes for the same data in Rust",
        words: digits,
    },
    Quote {
        output: r"Python (\d+) MB",
        sentence: "megabytes for a million Python integers",
        wording: "{} megabytes for a million Python integers",
        words: capitalised_words,
    },
];

fn digits(n: u64) -> String {
    n.to_string()
}

fn with_commas(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 0 to 99 in words, capitalised, as a sentence starts: "Twenty-six".
fn capitalised_words(n: u64) -> String {
    const ONES: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let words = match n {
        0..20 => ONES[n as usize].to_string(),
        20..100 if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_string(),
        20..100 => format!("{}-{}", TENS[(n / 10) as usize], ONES[(n % 10) as usize]),
        _ => n.to_string(),
    };
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Every quoted number, checked against `output` and `chapter`; the
/// problems, one per sentence that no longer matches.
fn mismatches(chapter: &str, output: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let footnote_marker = Regex::new(r"\[\^[\w-]+\]").unwrap();
    for quote in QUOTES {
        let Some(found) = Regex::new(quote.output).unwrap().captures(output) else {
            problems.push(format!(
                "{OUTPUT}: no line matches {:?} any more",
                quote.output
            ));
            continue;
        };
        let n: u64 = found[1].parse().unwrap();
        let expected = quote.wording.replace("{}", &(quote.words)(n));
        let Some((line_no, line)) = chapter
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(quote.sentence))
        else {
            problems.push(format!(
                "{CHAPTER}: no sentence with {:?} any more",
                quote.sentence
            ));
            continue;
        };
        if !line.contains(&expected) {
            // Footnote markers are not part of the sentence.
            let line = footnote_marker.replace_all(line, "");
            let sentence = line
                .split_inclusive(". ")
                .find(|s| s.contains(quote.sentence))
                .unwrap_or(&line)
                .trim();
            problems.push(format!(
                "{CHAPTER}:{}: the output says `{}`, so the prose should say \"{expected}\", \
                 but the sentence reads: \"{sentence}\"",
                line_no + 1,
                &found[0],
            ));
        }
    }
    problems
}

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn the_prose_quotes_the_numbers_the_listing_prints() {
    let problems = mismatches(&read(CHAPTER), &read(OUTPUT));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_changed_output_number_names_the_sentence() {
    let chapter = read(CHAPTER);
    for (from, to, sentence) in [
        (
            "Python 26 MB",
            "Python 27 MB",
            "Twenty-six megabytes for a million Python integers",
        ),
        (
            "total = 500000500000",
            "total = 500000500001",
            "The number that comes back is 500,000,500,000",
        ),
        ("= 28 bytes", "= 32 bytes", "It is 28 bytes, because"),
        (
            "Rust  = 8 bytes",
            "Rust  = 4 bytes",
            "A Rust u64 is 8 bytes flat",
        ),
        (
            "Rust 7 MB",
            "Rust 8 MB",
            "7 megabytes for the same data in Rust",
        ),
    ] {
        let output = read(OUTPUT).replace(from, to);
        let problems = mismatches(&chapter, &output);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains(CHAPTER) && problems[0].contains(sentence),
            "{}",
            problems[0]
        );
    }
}

/// The prose says a Python int is 28 bytes, and the listing prints it; this
/// asks CPython itself.
#[test]
fn a_small_python_int_is_as_big_as_the_listing_says() {
    let Ok(python) = Command::new("python3")
        .args(["-c", "import sys; print(sys.getsizeof(1))"])
        .output()
    else {
        eprintln!("skipped: python3 is not installed, so the Python int size was not checked");
        return;
    };
    let size = String::from_utf8_lossy(&python.stdout).trim().to_string();
    let output = read(OUTPUT);
    let printed = Regex::new(r"one int\s+in Py3\s+= (\d+) bytes")
        .unwrap()
        .captures(&output)
        .unwrap()[1]
        .to_string();
    assert_eq!(
        size, printed,
        "sys.getsizeof(1) is {size} on this python3, but {OUTPUT} says {printed}"
    );
}

const LISTING: &str = "listings/ch01-why-systems-programming/listing-01-01/src/main.rs";

/// What the note on the loop must say while the pinned rustc keeps it.
const NOTE: &str = "[^loop-kept]:";
const NOTE_SAYS: &str = "keeps its loop";

/// The listing's loop, and the same sum written two other ways.
const LOOP: &str = "for i in 1..=n {\n        total += i;\n    }";
const FOLDED_FORMS: [(&str, &str); 2] = [
    (
        "for i in 1..n + 1",
        "for i in 1..n + 1 {\n        total += i;\n    }",
    ),
    ("(1..=n).sum()", "total += (1..=n).sum::<u64>();"),
];

/// Whether `rustc -O` folds the sum of `source` into the constant: its
/// assembly then holds 500000500000, and no loop that computes it.
fn folded(source: &str) -> bool {
    asm_of(source).contains("500000500000")
}

/// What `rustc -O --emit asm` makes of `source`.
fn asm_of(source: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("main.rs");
    std::fs::write(&file, source).unwrap();
    let asm = dir.path().join("main.s");
    let rustc = Command::new("rustc")
        .args(["--edition", "2024", "-O", "--emit", "asm", "-o"])
        .arg(&asm)
        .arg(&file)
        .output()
        .expect("rustc runs");
    assert!(
        rustc.status.success(),
        "{}",
        String::from_utf8_lossy(&rustc.stderr)
    );
    std::fs::read_to_string(&asm).unwrap()
}

/// The note on the 50-times claim says what rustc does to the listing's
/// loop when it optimizes (the manuscript says it "will not actually loop a
/// million times"): on the pinned toolchain it keeps the loop, and folds the
/// same sum written as `1..n + 1` or `(1..=n).sum()`. Checked here, so that a
/// rustc that starts folding the loop turns `cargo test` red instead of
/// leaving the note stale. It compiles three programs with `-O`, so its pass
/// is remembered until the listing, the chapter, this file or the toolchain
/// changes.
#[test]
fn rustc_keeps_the_listings_loop_as_the_note_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    harness::engine::cache::unless_passed(
        root,
        "rustc_keeps_the_listings_loop_as_the_note_says",
        &[LISTING, CHAPTER, "tests/lesson_01_numbers.rs"],
        || {
            let chapter = read(CHAPTER);
            let (line, note) = chapter
                .lines()
                .enumerate()
                .find(|(_, l)| l.starts_with(NOTE))
                .unwrap_or_else(|| panic!("{CHAPTER}: no note {NOTE}"));
            let at = format!("{CHAPTER}:{}", line + 1);
            assert!(
                note.contains(NOTE_SAYS),
                "{at}: the note must say that the listing {NOTE_SAYS:?}, which this test checks"
            );
            let listing = read(LISTING);
            assert!(listing.contains(LOOP), "{LISTING}: its loop changed");
            let asm = asm_of(&listing);
            assert!(
                asm.contains("cmpq\t$1000001"),
                "{LISTING}: the note at {at} tells readers to look for `cmpq $1000001` in \
                 the assembly, and `rustc -O --emit asm` makes none: rewrite the note"
            );
            assert!(
                !asm.contains("500000500000"),
                "{LISTING}: `rustc -O` now folds the loop into the constant 500000500000, \
                 but the note at {at} says rustc {NOTE_SAYS}: rewrite the note, and time \
                 the listing again (python3 benches/lesson-01/run.py)"
            );
            for (form, code) in FOLDED_FORMS {
                assert!(
                    folded(&listing.replace(LOOP, code)),
                    "the note at {at} says `rustc -O` folds the sum written as `{form}` \
                     into a constant; on this toolchain it does not: rewrite the note"
                );
            }
        },
    );
}

/// The note on "The whole program is 6 lines" gives the snippet's length
/// and the whole file's, as the reader sees them (no `// ANCHOR` lines).
#[test]
fn the_note_on_the_programs_length_counts_its_lines() {
    let listing = read(LISTING);
    let snippet = listing
        .lines()
        .skip_while(|l| !l.contains("ANCHOR: sum"))
        .skip(1)
        .take_while(|l| !l.contains("ANCHOR_END: sum"))
        .count();
    let whole = listing.lines().filter(|l| !l.contains("ANCHOR")).count();
    let chapter = read(CHAPTER);
    let (line, note) = chapter
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with("[^six-lines]:"))
        .expect("the note [^six-lines]");
    for (what, wording) in [
        (
            "the snippet",
            format!("{snippet} lines, and not the whole program"),
        ),
        (
            "the whole file",
            format!("The whole file is {whole} lines."),
        ),
    ] {
        assert!(
            note.contains(&wording),
            "{CHAPTER}:{}: {LISTING} makes {what} {}, so the note should say \"{wording}\"",
            line + 1,
            wording
                .split(' ')
                .find(|w| w.parse::<usize>().is_ok())
                .unwrap_or("?"),
        );
    }
}
