#!/bin/sh
# Writes mdBook's own stylesheets, from the installed mdBook's crate source,
# minified (same rules, no comments or whitespace): theme/css/{chrome,general,
# variables,print}.css and theme/{highlight,tomorrow-night,ayu-highlight}.css.
# mdBook uses each of them in place of its built-in one, so rerun this after
# every mdBook upgrade (the header names the version).
#
#   sh theme/tools/mdbook-css.sh        (MDBOOK_VERSION=0.5.4 if mdbook is not on the PATH)
#
# lightningcss-cli is the one pinned in theme/tools/package.json.
set -eu
v=${MDBOOK_VERSION:-$(mdbook --version | sed 's/^mdbook v//')}
src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/mdbook-html-"$v"/front-end/css | head -n 1)
css=theme/tools/node_modules/.bin/lightningcss
[ -x "$css" ] || npm ci --prefix theme/tools --no-audit --no-fund
mkdir -p theme/css
for f in css/chrome css/general css/variables css/print highlight tomorrow-night ayu-highlight; do
    "$css" --minify "$src/${f#css/}.css" -o "theme/$f.css.tmp"
    { printf '/* mdBook %s %s.css, minified (theme/tools/mdbook-css.sh) */\n' "$v" "$f"
      cat "theme/$f.css.tmp"; echo; } > "theme/$f.css"
    rm "theme/$f.css.tmp"
    echo "theme/$f.css: $(wc -c < "theme/$f.css") bytes (from $(wc -c < "$src/${f#css/}.css"))"
done
