#!/bin/sh
# Writes theme/css/{chrome,general,variables}.css: mdBook's own stylesheets,
# from the installed mdBook's crate source, minified (same rules, no comments
# or whitespace). mdBook uses a file in theme/css/ in place of its built-in
# one, so rerun this after every mdBook upgrade (the header names the version).
#
#   sh theme/tools/mdbook-css.sh
set -eu
v=$(mdbook --version | sed 's/^mdbook v//')
src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/mdbook-html-"$v"/front-end/css | head -n 1)
mkdir -p theme/css
for f in chrome general variables; do
    npx --yes lightningcss-cli@1.33.0 --minify "$src/$f.css" -o "theme/css/$f.css.tmp"
    { printf '/* mdBook %s css/%s.css, minified by theme/tools/mdbook-css.sh (lightningcss-cli 1.33.0) */\n' "$v" "$f"
      cat "theme/css/$f.css.tmp"; echo; } > "theme/css/$f.css"
    rm "theme/css/$f.css.tmp"
    echo "theme/css/$f.css: $(wc -c < "theme/css/$f.css") bytes (from $(wc -c < "$src/$f.css"))"
done
