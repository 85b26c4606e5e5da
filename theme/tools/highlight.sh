#!/bin/sh
# Writes theme/highlight.js and theme/fonts/cbh-highlight-later.js:
# highlight.js 10.1.1, the version mdBook 0.5.4 bundles (its core and
# per-language files are byte-identical to mdBook's), with only the
# languages this book's code blocks use.
#
#   sh theme/tools/highlight.sh        (MDBOOK_VERSION=0.5.4 if mdbook is not on the PATH)
#
# Rerun it after an mdBook upgrade, with that mdBook's highlight.js version.
#
# theme/highlight.js, on every page: the core, and the grammars of rust
# (listings) and plaintext (```text, alias "text"). The other languages the
# book shows, bash and shell (```bash, ```sh, ```console: terminal sessions)
# and ini (```toml), are registered there by name only, each marked
# cbhLater, so book.js highlights their blocks as plain text without a
# warning; their grammars are in theme/fonts/cbh-highlight-later.js, which
# theme/cbh-listings.js loads only on a page that shows such a block, and
# highlights those blocks again. (theme/fonts/: see theme/README.md.) A block
# in any other language is left unhighlighted (highlight.js 10.1.1 logs a
# console warning, not an error).
set -eu
now="rust plaintext"
later="bash shell ini"
v=${MDBOOK_VERSION:-$(mdbook --version | sed 's/^mdbook v//')}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @highlightjs/cdn-assets@10.1.1 >/dev/null && tar xzf highlightjs-cdn-assets-10.1.1.tgz)
MDBOOK_VERSION=$v node - "$tmp/package" "$now" "$later" <<'JS'
const fs = require('fs');
const [dir, now, later] = process.argv.slice(2);
const full = fs.readFileSync(`${dir}/highlight.min.js`, 'utf8');
// highlight.min.js is the core followed by one hljs.registerLanguage(...) per
// bundled language; keep the core (with its licence header) only.
const core = full.slice(0, full.indexOf('hljs.registerLanguage('));
const grammar = (l) => fs.readFileSync(`${dir}/languages/${l}.min.js`, 'utf8').trim() + '\n';
const stub = (l) => {
  const aliases = grammar(l).match(/aliases:(\[[^\]]*\])/);
  return `hljs.registerLanguage(${JSON.stringify(l)},function(){return{name:${JSON.stringify(l)},` +
    `aliases:${aliases ? aliases[1] : '[]'},cbhLater:!0,contains:[]}});\n`;
};
const v = process.env.MDBOOK_VERSION;
const out = 'theme/highlight.js';
// Minified again with arrow functions (a page's first load is held to
// 180 KB), the licence header kept.
const { minify } = require(require('path').resolve('theme/tools/node_modules/terser'));
(async () => {
const code = core + now.split(' ').map(grammar).join('') + later.split(' ').map(stub).join('');
const small = (await minify(code, {
  compress: { passes: 3, ecma: 2020, arrows: true, unsafe_arrows: true }, mangle: true, ecma: 2020,
  format: { comments: /License|Copyright|Highlight\.js/ },
})).code;
fs.writeFileSync(out, `/* mdBook ${v}'s highlight.js: ${now.split(' ').join(', ')}; ${later.split(' ').join(', ')} by name only ` +
  `(theme/tools/highlight.sh) */\n` + small + '\n');
const rest = 'theme/fonts/cbh-highlight-later.js';
fs.writeFileSync(rest, `/* mdBook ${v}'s highlight.js grammars of ${later.split(' ').join(', ')}, loaded by a page that ` +
  `shows them (theme/tools/highlight.sh) */\n` + later.split(' ').map(grammar).join(''));
for (const f of [out, rest]) console.log(`${f}: ${fs.statSync(f).size} bytes`);
})();
JS
