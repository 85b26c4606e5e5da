// Page-weight benchmark: what a reader's browser downloads on first load of
// each page, for this book and for a default mdBook build of the same
// chapters, side by side. Headless Chromium (Debian's), only 127.0.0.1
// reachable; bytes are uncompressed response bodies; figures (the SVGs in
// src/figures/) are counted apart. Run it with `cargo xtask page-weight`,
// which makes both builds first.
//
//   node benches/page-weight/weight.mjs OUR_HTML_DIR DEFAULT_HTML_DIR
//
// It ends with the budget the book keeps: a chapter under 200 KB (figures
// excluded) and at least 2.5x lighter than the default build; it exits 1 if
// a chapter misses it.
import { createRequire } from 'node:module';
import { readdir } from 'node:fs/promises';
import { serve, launchArgs } from '../../tests/browser/serve.mjs';

const require = createRequire(new URL('../../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const [ours = 'book/html', plain] = process.argv.slice(2);
if (!plain) {
  console.error('usage: node benches/page-weight/weight.mjs OUR_HTML_DIR DEFAULT_HTML_DIR');
  process.exit(2);
}
const BUDGET = 200 * 1024;
const LIGHTER = 2.5;

const browser = await chromium.launch(launchArgs);

async function measure(root, pageName) {
  const { server, base } = await serve(root);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  let offOrigin = 0;
  await context.route((url) => !url.href.startsWith(base), (route) => { offOrigin++; return route.abort(); });
  const page = await context.newPage();
  const pending = [];
  const rows = [];
  page.on('response', (res) => pending.push((async () => {
    if (!res.url().startsWith(base)) return;
    let size = 0;
    try { size = (await res.body()).length; } catch { /* no body */ }
    rows.push({ url: res.url().slice(base.length), type: res.request().resourceType(), size });
  })()));
  await page.goto(base + pageName, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
  await Promise.all(pending);
  await context.close();
  server.close();
  const figures = rows.filter((r) => r.url.startsWith('figures/'));
  const rest = rows.filter((r) => !r.url.startsWith('figures/'));
  const sum = (rs) => rs.reduce((a, r) => a + r.size, 0);
  const kind = (r) => (r.type === 'script' && /^(searcher|elasticlunr|mark)/.test(r.url) ? 'search js'
    : r.type === 'script' && /^highlight/.test(r.url) ? 'highlight.js' : r.type);
  const byKind = {};
  for (const r of rest) {
    byKind[kind(r)] ??= { n: 0, bytes: 0 };
    byKind[kind(r)].n++; byKind[kind(r)].bytes += r.size;
  }
  return { requests: rest.length, bytes: sum(rest), figures: figures.length, figureBytes: sum(figures), offOrigin, byKind };
}

const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const pages = (await readdir(ours)).filter((f) => f.endsWith('.html') && !['404.html', 'print.html', 'toc.html'].includes(f)).sort();
let missed = 0;
console.log('First load, uncompressed, figures excluded (KB = 1024 bytes)\n');
console.log(`${'page'.padEnd(36)} ${'this book'.padStart(22)} ${'default mdBook'.padStart(22)} ${'lighter'.padStart(8)}`);
const details = [];
for (const pageName of pages) {
  const a = await measure(ours, pageName);
  const b = await measure(plain, pageName);
  const ratio = b.bytes / a.bytes;
  console.log(`${pageName.padEnd(36)} ${`${kb(a.bytes)}, ${a.requests} req`.padStart(22)} ${`${kb(b.bytes)}, ${b.requests} req`.padStart(22)} ${`${ratio.toFixed(2)}x`.padStart(8)}`);
  details.push([pageName, a, b]);
  const isChapter = pageName !== 'index.html';
  if (isChapter && (a.bytes >= BUDGET || ratio < LIGHTER || a.offOrigin > 0)) missed++;
}
for (const [pageName, a, b] of details) {
  console.log(`\n${pageName}: bytes by kind (requests), this book | default`);
  for (const k of [...new Set([...Object.keys(a.byKind), ...Object.keys(b.byKind)])].sort()) {
    const x = a.byKind[k] ?? { n: 0, bytes: 0 };
    const y = b.byKind[k] ?? { n: 0, bytes: 0 };
    console.log(`  ${k.padEnd(14)} ${`${kb(x.bytes)} (${x.n})`.padStart(16)} | ${`${kb(y.bytes)} (${y.n})`.padStart(16)}`);
  }
  console.log(`  ${'figures'.padEnd(14)} ${`${kb(a.figureBytes)} (${a.figures})`.padStart(16)} | ${`${kb(b.figureBytes)} (${b.figures})`.padStart(16)}   (not counted)`);
  console.log(`  ${'off-origin'.padEnd(14)} ${String(a.offOrigin).padStart(16)} | ${String(b.offOrigin).padStart(16)}   (requests, aborted)`);
}
await browser.close();
console.log(missed
  ? `\n${missed} chapter page(s) miss the budget: under ${kb(BUDGET)}, at least ${LIGHTER}x lighter than the default, nothing off the origin`
  : `\nEvery chapter page is under ${kb(BUDGET)}, at least ${LIGHTER}x lighter than the default build, and requests nothing off its origin.`);
process.exit(missed ? 1 : 0);
