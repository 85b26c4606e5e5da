//! Spelling: the prose (`src/`) and the listings are run through `typos`,
//! a checker that knows common misspellings rather than every word, so it
//! rarely cries wolf. Words of the book that it would "correct" anyway go in
//! the book's word list, `tests/words.toml`.

use std::path::Path;
use std::process::Command;

use crate::Problem;
use crate::tools;

/// The word list, relative to the book's root.
pub const WORD_LIST: &str = "tests/words.toml";

/// What is spell-checked, relative to the book's root.
const CHECKED: [&str; 2] = ["src", "listings"];

pub fn check(root: &Path) -> Vec<Problem> {
    let typos = match tools::TYPOS.ensure() {
        Ok(exe) => exe,
        Err(message) => return vec![Problem::new(WORD_LIST, None, message)],
    };
    let mut cmd = Command::new(typos);
    cmd.current_dir(root)
        .args(["--format", "json", "--color", "never"]);
    if root.join(WORD_LIST).exists() {
        cmd.arg("--config").arg(WORD_LIST);
    }
    let paths: Vec<&str> = CHECKED
        .into_iter()
        .filter(|p| root.join(p).exists())
        .collect();
    let output = match cmd.args(&paths).output() {
        Ok(output) => output,
        Err(e) => {
            return vec![Problem::new(
                WORD_LIST,
                None,
                format!("could not run typos: {e}"),
            )];
        }
    };
    let mut problems = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(found) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if found["type"] != "typo" {
            continue;
        }
        let file = found["path"].as_str().unwrap_or_default();
        let line_num = found["line_num"].as_u64().map(|n| n as usize);
        let typo = found["typo"].as_str().unwrap_or_default();
        let corrections: Vec<&str> = found["corrections"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str())
            .collect();
        let quoted = line_num
            .and_then(|n| {
                let text = std::fs::read_to_string(root.join(file)).ok()?;
                Some(text.lines().nth(n.checked_sub(1)?)?.trim().to_string())
            })
            .unwrap_or_default();
        problems.push(Problem::new(
            file,
            line_num,
            format!(
                "`{typo}` looks misspelled; expected {}.\n    {quoted}\n\
                 If `{typo}` is right, add it to {WORD_LIST}.",
                if corrections.is_empty() {
                    "another word".to_string()
                } else {
                    corrections
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                }
            ),
        ));
    }
    if problems.is_empty() && !output.status.success() {
        problems.push(Problem::new(
            WORD_LIST,
            None,
            format!(
                "typos could not check the book:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ),
        ));
    }
    problems
}
