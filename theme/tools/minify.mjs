// Makes the book's own scripts and stylesheet as the pages load them: each
// readable source in theme/ minified (terser and lightningcss-cli, pinned in
// theme/tools/package.json) into the file that book.toml (or mdBook, for
// clipboard.min.js) loads. Edit the source, then run this and commit both.
//
//   npm ci --prefix theme/tools
//   node theme/tools/minify.mjs            writes the minified files
//   node theme/tools/minify.mjs --check    writes nothing; exits 1 naming each
//                                          minified file its source would not make
//
// `--theme DIR` works on another copy of theme/ (the browser self-test
// breaks one). Each output starts with a short comment naming its source
// (every page loads it: bytes count);
// clipboard.min.js's names the mdBook it stands in for, as the harness
// expects of stand-ins (harness/src/theme.rs).
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';

const tools = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const check = args.includes('--check');
const themeAt = args.indexOf('--theme');
const theme = themeAt >= 0 ? args[themeAt + 1] : join(tools, '..');

// source (in theme/) -> what the pages load. What a page loads only when it
// is needed goes to fonts/, the one folder of theme/ that mdBook copies into
// the book without naming it on the pages (see theme/README.md): the search
// teasers' cleaner, the typing mode and "Predict it", each of which carries
// its stylesheet inside it (one request on first use).
const FILES = [
  { source: 'coding-by-hand.css', out: 'coding-by-hand.min.css' },
  { source: 'cbh-a11y.js', out: 'cbh-a11y.min.js' },
  { source: 'cbh-listings.js', out: 'cbh-listings.min.js' },
  { source: 'cbh-search.js', out: 'fonts/cbh-search.min.js' },
  { source: 'clipboard.js', out: 'clipboard.min.js', standsIn: 'clipboard.min.js' },
  { source: 'cbh-typeit.js', css: 'cbh-typeit.css', out: 'fonts/cbh-typeit.min.js' },
  { source: 'cbh-predict.js', css: 'cbh-predict.css', out: 'fonts/cbh-predict.min.js' },
];

async function minifyCss(path) {
  const dir = await mkdtemp(join(tmpdir(), 'cbh-css-'));
  try {
    const out = join(dir, 'out.css');
    const run = spawnSync(join(tools, 'node_modules/.bin/lightningcss'), ['--minify', path, '-o', out], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`lightningcss failed on ${path}: ${run.stderr || run.error}`);
    return (await readFile(out, 'utf8')).trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function minifyJs(code, path) {
  // Single quotes always, so that mdBook finds `{{ resource "name" }}` with
  // its double quotes as written.
  const result = await minify(code, {
    // Arrow functions where a function never uses `this` or `arguments`
    // (the browsers the book supports all have them): a page's first
    // load is held to 180 KB (cargo xtask page-weight).
    compress: { passes: 3, ecma: 2020, arrows: true, unsafe_arrows: true },
    mangle: true,
    ecma: 2020,
    format: { comments: false, quote_style: 1 },
  }).catch((e) => { throw new Error(`terser failed on ${path}: ${e.message}`); });
  return result.code;
}

async function make({ source, css, out, standsIn }) {
  const path = join(theme, source);
  const text = await readFile(path, 'utf8');
  let header = `/* theme/${source}, minified */`;
  if (standsIn) {
    const version = text.match(/mdBook (\d+\.\d+\.\d+)/);
    if (!version) throw new Error(`${path} must name the mdBook whose ${standsIn} it stands in for`);
    header = `/* mdBook ${version[1]} ${standsIn} stand-in: theme/${source}, minified */`;
  }
  let body;
  if (source.endsWith('.css')) {
    body = await minifyCss(path);
  } else {
    let code = text;
    if (css) {
      const style = await minifyCss(join(theme, css));
      if (!code.includes("'__CBH_CSS__'")) throw new Error(`${path} has no '__CBH_CSS__' for ${css}`);
      code = code.replace("'__CBH_CSS__'", () => JSON.stringify(style));
    }
    body = await minifyJs(code, path);
  }
  return `${header}\n${body}\n`;
}

let stale = 0;
for (const file of FILES) {
  const made = await make(file);
  const target = join(theme, file.out);
  if (check) {
    const committed = await readFile(target, 'utf8').catch(() => null);
    if (committed !== made) {
      stale++;
      console.log(`FAIL theme/${file.out} is not what theme/${file.source}${file.css ? ` and theme/${file.css} make` : ' makes'}: run node theme/tools/minify.mjs`);
    } else {
      console.log(`ok   theme/${file.out}`);
    }
  } else {
    await writeFile(target, made);
    const sources = [file.source, file.css].filter(Boolean);
    let from = 0;
    for (const s of sources) from += (await readFile(join(theme, s))).length;
    console.log(`theme/${file.out}: ${Buffer.byteLength(made)} bytes (from ${from}, ${sources.map((s) => `theme/${s}`).join(' + ')})`);
  }
}
process.exit(stale ? 1 : 0);
