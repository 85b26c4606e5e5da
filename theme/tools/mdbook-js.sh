#!/bin/sh
# Writes theme/book.js and theme/toc.js.hbs: mdBook's own book.js and the
# template of its toc.js (the sidebar, loaded by every page), from the
# installed mdBook's crate source, minified (the same code, without comments,
# whitespace or long local names; top-level names are kept; the template's
# Handlebars tags are left as they are). mdBook uses each in place of its
# built-in one, so rerun this after every mdBook upgrade (the header names
# the version).
#
#   sh theme/tools/mdbook-js.sh         (MDBOOK_VERSION=0.5.4 if mdbook is not on the PATH)
#
# terser is the one pinned in theme/tools/package.json.
set -eu
v=${MDBOOK_VERSION:-$(mdbook --version | sed 's/^mdbook v//')}
src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/mdbook-html-"$v"/front-end | head -n 1)
terser=theme/tools/node_modules/.bin/terser
[ -x "$terser" ] || npm ci --prefix theme/tools --no-audit --no-fund
"$terser" "$src/js/book.js" --ecma 2020 --compress passes=3,ecma=2020,arrows=true,unsafe_arrows=true \
    --mangle --output theme/book.js.tmp
{ printf '/* mdBook %s book.js, minified (theme/tools/mdbook-js.sh) */\n' "$v"
  cat theme/book.js.tmp; echo; } > theme/book.js
rm theme/book.js.tmp
echo "theme/book.js: $(wc -c < theme/book.js) bytes (from $(wc -c < "$src/js/book.js"))"
# toc.js.hbs: JavaScript between lines that are only a Handlebars block tag
# ({{#if sidebar_header_nav}}, {{/if}}); each piece is minified on its own.
# Strings keep their single quotes, so '{{#toc}}{{/toc}}' stays as it is.
node - "$src/templates/toc.js.hbs" theme/toc.js.hbs "$v" <<'JS'
const fs = require('fs');
const { minify } = require(require('path').resolve('theme/tools/node_modules/terser'));
const [from, to, version] = process.argv.slice(2);
const parts = fs.readFileSync(from, 'utf8').split(/^(\{\{[#/][^}]*\}\})$/m);
(async () => {
  let out = `// mdBook ${version} toc.js.hbs, minified (theme/tools/mdbook-js.sh)\n`;
  for (const part of parts) {
    if (/^\{\{[#/]/.test(part)) { out += part + '\n'; continue; }
    if (!part.trim()) continue;
    const { code } = await minify(part, { compress: true, mangle: true, format: { quote_style: 1 } });
    out += code + '\n';
  }
  fs.writeFileSync(to, out);
  console.log(`${to}: ${Buffer.byteLength(out)} bytes (from ${fs.statSync(from).size})`);
})();
JS
