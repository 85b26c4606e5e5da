// Page-weight benchmark: what a reader's browser downloads on first load of
// each page, for this book and for a default mdBook build of the same
// chapters, side by side. Headless Chromium (Debian's), only 127.0.0.1
// reachable; figures (the SVGs in src/figures/) are counted apart. Two
// figures per page:
//
// - bodies: the response bodies, uncompressed (what the files weigh);
// - transfer: the bytes Chromium counts as received for each request,
//   headers included (DevTools' "Transferred"; Network.loadingFinished's
//   encodedDataLength), from this benchmark's own server, which does not
//   compress.
//
// Each page is loaded RUNS times (default 5) in a fresh browser context;
// the minimum, median and maximum are printed. It also measures what
// "Type it" downloads when first pressed (the typing mode, loaded on first
// use), which is not part of a first load. Run it with `cargo xtask
// page-weight`, which makes both builds first.
//
//   node benches/page-weight/weight.mjs OUR_HTML_DIR DEFAULT_HTML_DIR
//
// It ends with the budget the book keeps for a chapter page (issue 22): at
// most 180 KB of bodies and under 200 KB transferred (figures excluded), at
// least 2.5x lighter than the default build, nothing off the origin, and
// nothing of the typing mode before "Type it" is pressed; it exits 1 if a
// chapter misses it (in any run).
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
const KB = 1024;
const BODIES = 180 * KB;
const TRANSFER = 200 * KB;
const LIGHTER = 2.5;
const RUNS = Number(process.env.RUNS ?? 5);

const browser = await chromium.launch(launchArgs);

// One first load of one page: per request, its body and its transfer.
async function load(root, pageName, { typeIt = false } = {}) {
  const { server, base } = await serve(root);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  let offOrigin = 0;
  await context.route((url) => !url.href.startsWith(base), (route) => { offOrigin++; return route.abort(); });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => requests.set(e.requestId, { url: e.request.url, type: e.type, body: 0, transfer: 0 }));
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) { r.transfer = e.encodedDataLength; r.done = true; }
  });
  const pending = [];
  page.on('response', (res) => pending.push((async () => {
    let size = 0;
    try { size = (await res.body()).length; } catch { /* no body */ }
    for (const r of requests.values()) if (r.url === res.url() && !r.sized) { r.body = size; r.sized = true; break; }
  })()));
  const settle = async () => {
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
    await Promise.all(pending);
  };
  await page.goto(base + pageName, { waitUntil: 'load' });
  await settle();
  const rows = () => [...requests.values()].filter((r) => r.url.startsWith(base))
    .map((r) => ({ url: r.url.slice(base.length), type: r.type, body: r.body, transfer: r.transfer }));
  const first = rows();
  let later = null;
  const button = page.locator('main .cbh-typeit-button').first();
  if (typeIt && await button.count()) {
    const before = new Set(requests.keys());
    await button.click();
    await page.locator('.cbh-ti-input').first().waitFor({ timeout: 5000 });
    await settle();
    later = [...requests.entries()].filter(([id, r]) => !before.has(id) && r.url.startsWith(base))
      .map(([, r]) => ({ url: r.url.slice(base.length), body: r.body, transfer: r.transfer }));
  }
  await context.close();
  server.close();
  return { rows: first, offOrigin, later };
}

const sum = (rs, key) => rs.reduce((a, r) => a + r[key], 0);
const isFigure = (r) => r.url.startsWith('figures/');
const kind = (r) => (r.type === 'Script' && /^(searcher|elasticlunr|mark)/.test(r.url) ? 'search js'
  : r.type === 'Script' && /^highlight/.test(r.url) ? 'highlight.js' : r.type.toLowerCase());

function summary(runs) {
  const pick = (f) => {
    const xs = runs.map(f).sort((a, b) => a - b);
    return { min: xs[0], median: xs[Math.floor(xs.length / 2)], max: xs[xs.length - 1] };
  };
  const rest = (run) => run.rows.filter((r) => !isFigure(r));
  return {
    bodies: pick((run) => sum(rest(run), 'body')),
    transfer: pick((run) => sum(rest(run), 'transfer')),
    requests: pick((run) => rest(run).length),
    figures: pick((run) => sum(run.rows.filter(isFigure), 'body')),
    offOrigin: Math.max(...runs.map((run) => run.offOrigin)),
    typingAtLoad: Math.max(...runs.map((run) => run.rows.filter((r) => /^fonts\/cbh-typeit/.test(r.url)).length)),
    last: runs[runs.length - 1],
  };
}

const kb = (b) => `${(b / KB).toFixed(1)}`;
const range = (x) => (x.min === x.max ? `${kb(x.min)} KB` : `${kb(x.min)} / ${kb(x.median)} / ${kb(x.max)} KB`);
const pages = (await readdir(ours)).filter((f) => f.endsWith('.html') && !['404.html', 'print.html', 'toc.html'].includes(f)).sort();
console.log(`First load, figures excluded (KB = 1024 bytes); ${RUNS} runs each, min / median / max where they differ\n`);
console.log(`${'page'.padEnd(36)} ${'bodies'.padStart(26)} ${'transfer'.padStart(26)} ${'requests'.padStart(9)}   ${'default mdBook bodies'.padStart(22)} ${'lighter'.padStart(8)}`);
const results = [];
for (const pageName of pages) {
  const runsA = [];
  const runsB = [];
  for (let i = 0; i < RUNS; i++) runsA.push(await load(ours, pageName));
  for (let i = 0; i < RUNS; i++) runsB.push(await load(plain, pageName));
  const a = summary(runsA);
  const b = summary(runsB);
  const ratio = b.bodies.median / a.bodies.max;
  console.log(`${pageName.padEnd(36)} ${range(a.bodies).padStart(26)} ${range(a.transfer).padStart(26)} ${String(a.requests.max).padStart(9)}   ${range(b.bodies).padStart(22)} ${`${ratio.toFixed(2)}x`.padStart(8)}`);
  results.push({ pageName, a, b, ratio });
}
const by = (run) => {
  const out = {};
  for (const r of run.rows.filter((x) => !isFigure(x))) {
    out[kind(r)] ??= { n: 0, body: 0, transfer: 0 };
    out[kind(r)].n++;
    out[kind(r)].body += r.body;
    out[kind(r)].transfer += r.transfer;
  }
  return out;
};
for (const { pageName, a, b } of results) {
  console.log(`\n${pageName}: by kind, this book | default: bodies (transfer), requests`);
  const x = by(a.last);
  const y = by(b.last);
  for (const k of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
    const p = x[k] ?? { n: 0, body: 0, transfer: 0 };
    const q = y[k] ?? { n: 0, body: 0, transfer: 0 };
    console.log(`  ${k.padEnd(14)} ${`${kb(p.body)} (${kb(p.transfer)}) KB, ${p.n}`.padStart(24)} | ${`${kb(q.body)} (${kb(q.transfer)}) KB, ${q.n}`.padStart(24)}`);
  }
  console.log(`  ${'figures'.padEnd(14)} ${`${kb(a.figures.max)} KB`.padStart(24)} | ${`${kb(b.figures.max)} KB`.padStart(24)}   (not counted)`);
  console.log(`  ${'off-origin'.padEnd(14)} ${String(a.offOrigin).padStart(24)} | ${String(b.offOrigin).padStart(24)}   (requests, aborted)`);
}
// What "Type it" downloads when first pressed, on each page that has it:
// not part of a first load.
for (const { pageName } of results) {
  const { later } = await load(ours, pageName, { typeIt: true });
  if (!later) continue;
  console.log(`\n${pageName}: "Type it", first pressed: ${kb(sum(later, 'body'))} KB of bodies, ${kb(sum(later, 'transfer'))} KB transferred, ` +
    `${later.length} request(s) (${later.map((r) => r.url).join(', ')})`);
}

let missed = 0;
for (const { pageName, a, ratio } of results) {
  if (pageName === 'index.html') continue;
  const why = [];
  if (a.bodies.max > BODIES) why.push(`bodies ${kb(a.bodies.max)} KB > ${kb(BODIES)} KB`);
  if (a.transfer.max >= TRANSFER) why.push(`transfer ${kb(a.transfer.max)} KB >= ${kb(TRANSFER)} KB`);
  if (ratio < LIGHTER) why.push(`only ${ratio.toFixed(2)}x lighter than the default`);
  if (a.offOrigin > 0) why.push(`${a.offOrigin} request(s) off the origin`);
  if (a.typingAtLoad > 0) why.push('the typing mode is part of the first load');
  if (why.length) {
    missed++;
    console.log(`\n${pageName} misses the budget: ${why.join('; ')}`);
  } else {
    console.log(`\n${pageName}: ${a.bodies.max} bytes of bodies, ${BODIES - a.bodies.max} under the budget; ` +
      `${a.transfer.max} bytes transferred, ${TRANSFER - a.transfer.max} under`);
  }
}
await browser.close();
console.log(missed
  ? `\n${missed} chapter page(s) miss the budget: at most ${kb(BODIES)} KB of bodies, under ${kb(TRANSFER)} KB transferred, at least ${LIGHTER}x lighter than the default, nothing off the origin, no typing mode before "Type it"`
  : `\nEvery chapter page is at most ${kb(BODIES)} KB of bodies and under ${kb(TRANSFER)} KB transferred on first load, at least ${LIGHTER}x lighter than the default build, requests nothing off its origin, and loads the typing mode only when "Type it" is pressed.`);
process.exit(missed ? 1 : 0);
