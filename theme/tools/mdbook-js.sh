#!/bin/sh
# Writes theme/book.js: mdBook's own book.js, from the installed mdBook's
# crate source, minified (the same code, without comments, whitespace or
# long local names; top-level names are kept). mdBook uses theme/book.js in
# place of its built-in one, so rerun this after every mdBook upgrade (the
# header names the version).
#
#   sh theme/tools/mdbook-js.sh
set -eu
v=$(mdbook --version | sed 's/^mdbook v//')
src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/mdbook-html-"$v"/front-end/js | head -n 1)
npx --yes terser@5.44.0 "$src/book.js" --compress --mangle --output theme/book.js.tmp
{ printf '/* mdBook %s book.js, minified by theme/tools/mdbook-js.sh (terser 5.44.0) */\n' "$v"
  cat theme/book.js.tmp; echo; } > theme/book.js
rm theme/book.js.tmp
echo "theme/book.js: $(wc -c < theme/book.js) bytes (from $(wc -c < "$src/book.js"))"
