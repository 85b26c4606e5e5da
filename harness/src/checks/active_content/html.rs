//! What is active in HTML: an element that runs script, embeds another
//! page or sends the reader elsewhere, an `on…=` attribute, an address
//! that runs script. The one set of rules for the chapters as written, the
//! pages as rendered, and the SVG pictures.

/// Elements that run script, embed another page or document, or send the
/// reader (or what they type) elsewhere.
const ACTIVE_ELEMENTS: [&str; 12] = [
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "meta", "base",
    "link", "portal",
];

/// Attributes whose value is an address the browser may follow or load.
const ADDRESSES: [&str; 8] = [
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "poster",
    "srcset",
];

/// Something active in HTML: what it is, and a word to find its line by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Active {
    pub what: String,
    pub needle: String,
}

/// What is active in a fragment of raw HTML.
pub fn in_fragment(html: &str) -> Vec<Active> {
    in_tree(&scraper::Html::parse_fragment(html))
}

/// What is active in a whole HTML document.
pub fn in_document(html: &str) -> Vec<Active> {
    in_tree(&scraper::Html::parse_document(html))
}

fn in_tree(tree: &scraper::Html) -> Vec<Active> {
    let mut found = Vec::new();
    for element in tree.tree.nodes().filter_map(scraper::ElementRef::wrap) {
        found.extend(in_element(&element));
    }
    found
}

/// What is active in one element: the element itself, or an attribute.
fn in_element(element: &scraper::ElementRef) -> Vec<Active> {
    let name = element.value().name();
    // A prefixed name (`x:script`) is the same element to an XML reader.
    let local = name.rsplit(':').next().unwrap_or(name).to_ascii_lowercase();
    let mut found = Vec::new();
    let mut say = |what: String, needle: &str| {
        found.push(Active {
            what,
            needle: needle.to_string(),
        });
    };
    if ACTIVE_ELEMENTS.contains(&local.as_str()) {
        let detail = match local.as_str() {
            "meta" => element
                .value()
                .attr("http-equiv")
                .map(|e| format!(" http-equiv=\"{e}\""))
                .unwrap_or_default(),
            "form" => element
                .value()
                .attr("action")
                .map(|a| format!(" action=\"{a}\""))
                .unwrap_or_default(),
            _ => String::new(),
        };
        say(
            format!("`<{name}{detail}>` in its HTML"),
            &format!("<{name}"),
        );
    }
    for (attribute, value) in element.value().attrs() {
        let attribute = attribute.to_ascii_lowercase();
        let bare = attribute.rsplit(':').next().unwrap_or(&attribute);
        if bare.starts_with("on") {
            say(
                format!("the attribute `{attribute}` on `<{name}>` runs script"),
                &attribute,
            );
        } else if attribute == "srcdoc" {
            say(format!("`<{name} srcdoc>` embeds a page"), "srcdoc");
        } else if let Some(scheme) = script_scheme(value)
            && (ADDRESSES.contains(&attribute.as_str()) || bare == "href")
        {
            say(
                format!("`<{name} {attribute}=\"{value}\">` runs script ({scheme})"),
                &attribute,
            );
        } else if attribute == "style" && value.to_ascii_lowercase().contains("url(") {
            say(
                format!("the style on `<{name}>` loads an address (`url(…)`)"),
                "url(",
            );
        }
    }
    found
}

/// The scheme of an address that runs script when followed or loaded:
/// `javascript:`, `vbscript:`, or a `data:` address of a document.
pub fn script_scheme(address: &str) -> Option<&'static str> {
    // Browsers ignore whitespace and control characters in a scheme.
    let cleaned: String = address
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    if cleaned.starts_with("javascript:") {
        Some("javascript:")
    } else if cleaned.starts_with("vbscript:") {
        Some("vbscript:")
    } else if cleaned.starts_with("data:text/html") || cleaned.starts_with("data:image/svg") {
        Some("a data: document")
    } else {
        None
    }
}
