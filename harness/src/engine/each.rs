//! The one loop of the checks that keep a verdict per listing or per file:
//! reuse each verdict whose trace still holds, run what is pending, keep
//! what was found (cache.rs keeps no failure of the machine).

use crate::book::problem::{Problem, once_each};
use crate::engine::checker::Checker;
use crate::engine::trace::Reader;

/// The problems `check` finds in `items`, each item's verdict kept apart
/// under its `scope`. The pending items are run together: `run` gets them,
/// each with a `Reader` of its own, and returns each one's problems in
/// their order; each is kept with what its reader read. The problems come
/// back in the items' order, each said once.
pub fn each_remembered<'b, T>(
    cx: &'b Checker,
    check: &str,
    items: &[T],
    scope: impl Fn(&T) -> String,
    run: impl FnOnce(&[&T], &[Reader<'b>]) -> Vec<Vec<Problem>>,
) -> Vec<Problem> {
    let mut each: Vec<Option<Vec<Problem>>> = items
        .iter()
        .map(|item| cx.store.lookup(&cx.book, check, &scope(item)))
        .collect();
    let pending: Vec<usize> = (0..items.len()).filter(|&i| each[i].is_none()).collect();
    cx.store
        .summary(check, items.len() - pending.len(), pending.len());
    if !pending.is_empty() {
        let chosen: Vec<&T> = pending.iter().map(|&i| &items[i]).collect();
        let readers: Vec<Reader<'b>> = chosen.iter().map(|_| Reader::new(&cx.book)).collect();
        let found = run(&chosen, &readers);
        assert_eq!(found.len(), pending.len(), "{check}: one verdict per item");
        let kept: Vec<(String, &Reader, &[Problem])> = pending
            .iter()
            .zip(&readers)
            .zip(&found)
            .map(|((&i, reader), found)| (scope(&items[i]), reader, found.as_slice()))
            .collect();
        cx.store.keep_each(check, &kept);
        for (&i, found) in pending.iter().zip(found) {
            each[i] = Some(found);
        }
    }
    once_each(each.into_iter().flatten().flatten().collect())
}
