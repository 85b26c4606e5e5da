//! Every file mdBook copies from the chapters' directory into the book, as
//! it is: besides the chapters, only pictures may be there, and an SVG
//! picture holds no script. An SVG opened on its own (its address is the
//! book's) is a document of the book's origin: a `<script>` in it, an
//! `on…=` attribute or a `javascript:` address would run there, with no
//! Content-Security-Policy. An HTML or script file beside the figures would
//! be published as a page of the book.

use std::path::Path;

use crate::book::files::Entry;
use crate::book::problem::Problem;
use crate::checks::active_content::html::{in_document, script_scheme};
use crate::engine::trace::Reader;

/// What the chapters' directory may hold besides chapters (`.md`).
pub const PICTURES: [&str; 7] = ["svg", "png", "jpg", "jpeg", "gif", "webp", "avif"];

/// What an SVG may not hold: elements that run script, load a page, or
/// listen, whatever their prefix.
const SVG_ACTIVE: [&str; 4] = ["foreignobject", "handler", "listener", "style"];

pub fn check(book: &Reader) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (path, entry) in book.tree(book.book().src()) {
        let Entry::File(bytes) = entry else { continue };
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if ext == "md" {
            continue;
        }
        if !PICTURES.contains(&ext.as_str()) {
            problems.push(Problem::new(
                path,
                None,
                format!(
                    "mdBook publishes every file of {} as it is, and this one is not a \
                     picture ({}): a page, a script or a document beside the chapters \
                     would be published as the book's own. Keep listings in listings/, \
                     and pictures only here",
                    book.book().src().display(),
                    PICTURES.join(", ")
                ),
            ));
        } else if ext == "svg" {
            problems.extend(in_svg(path, &String::from_utf8_lossy(bytes)));
        }
    }
    problems
}

/// What is active in an SVG drawing, each at its line.
pub fn in_svg(path: &Path, text: &str) -> Vec<Problem> {
    let at = |needle: &str| {
        let needle = needle.to_ascii_lowercase();
        text.lines()
            .position(|l| l.to_ascii_lowercase().contains(&needle))
            .map(|i| i + 1)
    };
    let tail = "An SVG of the book is a picture: opened on its own, it is a page of the \
                book's address, and runs its script";
    let mut problems = Vec::new();
    let lower = text.to_ascii_lowercase();
    // An XML reader expands entities an HTML parser leaves alone.
    if lower.contains("<!entity") {
        problems.push(Problem::new(
            path,
            at("<!entity"),
            format!("an `<!ENTITY>` declaration may expand into markup. {tail}"),
        ));
    }
    let html = scraper::Html::parse_document(text);
    for element in html.tree.nodes().filter_map(scraper::ElementRef::wrap) {
        let name = element.value().name();
        let local = name.rsplit(':').next().unwrap_or(name).to_ascii_lowercase();
        if SVG_ACTIVE.contains(&local.as_str()) {
            problems.push(Problem::new(
                path,
                at(&format!("<{name}")),
                format!("`<{name}>` may run script or load what the page does not. {tail}"),
            ));
        }
        for (attribute, value) in element.value().attrs() {
            let runs = value.split(';').find_map(|part| script_scheme(part.trim()));
            if let Some(scheme) = runs {
                problems.push(Problem::new(
                    path,
                    at(value),
                    format!("`<{name} {attribute}=\"{value}\">` runs script ({scheme}). {tail}"),
                ));
            }
        }
    }
    for active in in_document(text) {
        problems.push(Problem::new(
            path,
            at(&active.needle),
            format!("{}. {tail}", active.what),
        ));
    }
    crate::book::problem::once_each(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawing_passes_and_script_in_it_is_named_at_its_line() {
        let drawing = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n\
                       <text x=\"1\" y=\"5\">A</text>\n</svg>\n";
        assert!(in_svg(Path::new("src/figures/a.svg"), drawing).is_empty());
        for (hostile, named) in [
            ("<script>alert(1)</script>", "<script>"),
            ("<rect onclick=\"alert(1)\"/>", "onclick"),
            (
                "<a xlink:href=\"javascript:alert(1)\"><text>x</text></a>",
                "javascript:",
            ),
            (
                "<set attributeName=\"href\" to=\"javascript:alert(1)\"/>",
                "javascript:",
            ),
            ("<foreignObject><p>x</p></foreignObject>", "foreignObject"),
            (
                "<x:script xmlns:x=\"http://www.w3.org/2000/svg\">a</x:script>",
                "script",
            ),
        ] {
            let svg = drawing.replace("</svg>", &format!("{hostile}\n</svg>"));
            let found = in_svg(Path::new("src/figures/a.svg"), &svg);
            assert!(
                found
                    .iter()
                    .any(|p| p.message.contains(named) && p.line == Some(3)),
                "{hostile}: {found:?}"
            );
        }
    }
}
