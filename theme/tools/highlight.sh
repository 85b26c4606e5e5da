#!/bin/sh
# Writes theme/highlight.js: highlight.js 10.1.1, the version mdBook 0.5.4
# bundles (its core and per-language files are byte-identical to mdBook's),
# with only the languages this book's code blocks use.
#
#   sh theme/tools/highlight.sh [OUT]      (default theme/highlight.js)
#
# Rerun it after an mdBook upgrade, with that mdBook's highlight.js version.
#
# rust: listings; plaintext: ```text (alias "text"); bash, shell: ```bash,
# ```console; ini: ```toml. A block in any other language is left unhighlighted
# (highlight.js 10.1.1 logs a console warning, not an error).
set -eu
out=${1:-theme/highlight.js}
langs="rust plaintext bash shell ini"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @highlightjs/cdn-assets@10.1.1 >/dev/null && tar xzf highlightjs-cdn-assets-10.1.1.tgz)
MDBOOK_VERSION=$(mdbook --version | sed 's/^mdbook v//') node - "$tmp/package" "$out" $langs <<'JS'
const fs = require('fs');
const [dir, out, ...langs] = process.argv.slice(2);
const full = fs.readFileSync(`${dir}/highlight.min.js`, 'utf8');
// highlight.min.js is the core followed by one hljs.registerLanguage(...) per
// bundled language; keep the core (with its licence header) only.
const core = full.slice(0, full.indexOf('hljs.registerLanguage('));
const parts = langs.map((l) => fs.readFileSync(`${dir}/languages/${l}.min.js`, 'utf8').trim() + '\n');
const header = `/* Coding by Hand: the highlight.js that mdBook ${process.env.MDBOOK_VERSION} bundles, with only ${langs.join(', ')} (theme/tools/highlight.sh) */\n`;
fs.writeFileSync(out, header + core + parts.join(''));
console.log(`${out}: ${fs.statSync(out).size} bytes (core + ${langs.join(', ')})`);
JS
