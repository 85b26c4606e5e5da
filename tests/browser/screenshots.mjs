// Renders chapter pages of the built book in headless Chromium (Debian's
// chromium, driven by playwright-core), in every mdBook theme and in print,
// at a phone and a desktop width. Fails if a figure has not loaded (natural
// width 0) or if a page overflows horizontally. Keeps the PNGs.
//
//   node tests/browser/screenshots.mjs BOOK_HTML_DIR OUT_DIR
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, launchArgs } from './serve.mjs';
import { chapterPages } from './summary.mjs';

const [root = 'book/html', out = 'target/screenshots'] = process.argv.slice(2);
// Every page of SUMMARY.md, and the home page.
const pages = [...new Set([...(await chapterPages()), 'index.html'])];
const themes = ['light', 'rust', 'coal', 'navy', 'ayu'];
const widths = [375, 1280];
const { server, base } = await serve(root);
const browser = await chromium.launch(launchArgs);
await mkdir(out, { recursive: true });
const failures = [];
let shots = 0;

async function check(page, what) {
  const figures = await page.$$eval('main img', (imgs) =>
    imgs.map((img) => ({ src: img.getAttribute('src'), width: img.naturalWidth })));
  for (const f of figures.filter((f) => f.width === 0)) failures.push(`${what}: figure ${f.src} did not load`);
  // mdBook's page wrappers clip or scroll sideways, so ask each of them,
  // not just the document, whether its content is wider than it is.
  const overflow = await page.evaluate(() =>
    ['html', 'body', '#mdbook-body-container', '.page-wrapper', '.page', '.content', 'main']
      .flatMap((s) => [...document.querySelectorAll(s)])
      .map((e) => ({ name: e.id || e.className || e.tagName, by: e.scrollWidth - e.clientWidth }))
      .filter((o) => o.by > 0));
  for (const o of overflow) failures.push(`${what}: ${o.name} overflows sideways by ${o.by}px`);
  return figures.length;
}

for (const name of pages) {
  for (const theme of themes) {
    for (const width of widths) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.route((url) => !url.href.startsWith(base), (route) => route.abort());
      await page.addInitScript((t) => localStorage.setItem('mdbook-theme', t), theme);
      await page.goto(base + name, { waitUntil: 'load' });
      const what = `${name} (${theme}, ${width}px)`;
      await check(page, what);
      await page.screenshot({ path: join(out, `${name.replace('.html', '')}-${theme}-${width}.png`), fullPage: true });
      shots++;
      await page.close();
    }
  }
}
// Print: the whole book as printed, at A4 width.
const page = await browser.newPage({ viewport: { width: 794, height: 1123 } });
await page.route((url) => !url.href.startsWith(base), (route) => route.abort());
await page.emulateMedia({ media: 'print' });
await page.goto(base + 'print.html', { waitUntil: 'load' });
const printed = await check(page, 'print.html (print)');
if (printed === 0) failures.push('print.html (print): no figures at all');
await page.screenshot({ path: join(out, 'print.png'), fullPage: true });
shots++;

await browser.close();
server.close();
console.log(`${shots} screenshots in ${out}`);
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log(`${shots} passed, 0 failed`);
