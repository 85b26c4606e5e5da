//! Progress on long work: `cargo xtask bless`, and every command that runs
//! many listings, shows a bar with the listing being run, how many are
//! done of how many, and the time; on a terminal only (indicatif draws
//! nothing when stderr is not one).

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar, or nothing when it is not wanted.
#[derive(Debug)]
pub struct Bar(Option<ProgressBar>);

impl Bar {
    /// A bar for `total` steps of work called `what` ("building",
    /// "running"), if `shown`.
    pub fn new(shown: bool, total: usize, what: &str) -> Bar {
        if !shown || total == 0 {
            return Bar(None);
        }
        let bar = ProgressBar::new(total as u64);
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{elapsed_precise}} {what} [{{bar:30}}] {{pos}}/{{len}} {{wide_msg}}"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        Bar(Some(bar))
    }

    /// A spinner for work whose steps are not counted (one cargo build of
    /// every listing), if `shown`.
    pub fn spinner(shown: bool, what: &str) -> Bar {
        if !shown {
            return Bar(None);
        }
        let bar = ProgressBar::new_spinner();
        bar.set_message(what.to_string());
        bar.enable_steady_tick(Duration::from_millis(200));
        Bar(Some(bar))
    }

    /// Says what is being worked on now.
    pub fn at(&self, what: &str) {
        if let Some(bar) = &self.0 {
            bar.set_message(what.to_string());
        }
    }

    pub fn done_one(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
