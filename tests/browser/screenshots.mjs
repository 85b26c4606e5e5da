// Renders chapter pages of the built book in headless Chromium (Debian's
// chromium, driven by playwright-core), in every mdBook theme and in print,
// at a phone and a desktop width, and the typing mode ("Type it") open, in
// light and coal at both widths: a listing typed to the end, with its
// summary and the (mocked) playground's answer to "Run what you typed", and
// another half typed with a slip standing. Fails if a figure has not loaded
// (natural width 0) or if a page overflows horizontally. Keeps the PNGs.
//
//   node tests/browser/screenshots.mjs BOOK_HTML_DIR OUT_DIR
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, launchArgs } from './serve.mjs';
import { chapterPages, firstListingPage } from './summary.mjs';

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
  // not just the document, whether its content is wider than it is. From
  // 1024 px code blocks are wider than main's measure on purpose (100
  // columns, theme/coding-by-hand.css), within .content.
  const overflow = await page.evaluate(() =>
    ['html', 'body', '#mdbook-body-container', '.page-wrapper', '.page', '.content', ...(innerWidth < 1024 ? ['main'] : [])]
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
// The typing mode open.
const typing = await firstListingPage(root).catch(() => null);
for (const theme of typing ? ['light', 'coal'] : []) {
  for (const width of widths) {
    // Tall enough to show a whole block in the viewport, under the sticky menu bar.
    const page = await browser.newPage({ viewport: { width, height: 1600 }, hasTouch: width < 500 });
    let output = '';
    await page.route((url) => !url.href.startsWith(base), (route) => (route.request().url().startsWith('https://play.rust-lang.org/')
      ? route.fulfill({ contentType: 'application/json', headers: { 'access-control-allow-origin': '*' },
        body: JSON.stringify({ result: output, error: null }) })
      : route.abort()));
    await page.addInitScript((t) => localStorage.setItem('mdbook-theme', t), theme);
    await page.goto(base + typing, { waitUntil: 'load' });
    output = await page.evaluate(() => document.querySelector('main .cbh-output-of + pre code')?.textContent ?? '');
    const blocks = page.locator('main .cbh-listing-label:not([data-exercise]) + pre');
    const n = await blocks.count();
    const lines = (i) => blocks.nth(i).locator(':scope > code').evaluate((c) => c.innerText.replace(/\s+$/, '').split('\n'));
    // The first listing, typed to the end.
    const done = await lines(0);
    await blocks.first().locator('.cbh-typeit-button').click();
    await blocks.first().locator('.cbh-ti-input').waitFor();
    for (const [i, line] of done.entries()) {
      await page.keyboard.type(line.trim());
      if (i < done.length - 1) await page.keyboard.press('Enter');
    }
    if (await blocks.first().locator('.cbh-ti-run').count()) {
      await blocks.first().locator('.cbh-ti-run').click();
      await blocks.first().locator('.cbh-ti-verdict').waitFor();
    }
    // The last, half typed: its second line with a slip in it.
    const half = await lines(n - 1);
    const last = blocks.nth(n - 1);
    if (n > 1) {
      await last.locator('.cbh-typeit-button').click();
      await last.locator('.cbh-ti-input').waitFor();
      await page.keyboard.type(half[0].trim());
      await page.keyboard.press('Enter');
      const second = half[1].trim();
      await page.keyboard.type(second.slice(0, 6) + (second[6] === ',' ? ';' : ',') + second.slice(7, 12));
    }
    await check(page, `${typing} typing (${theme}, ${width}px)`);
    for (const [i, name] of [[0, 'done'], [n - 1, 'typing']]) {
      // From the top down to the block: mdBook brings its menu bar back
      // when the page scrolls up.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(200);
      await blocks.nth(i).evaluate((pre) => {
        const label = pre.previousElementSibling ?? pre;
        window.scrollTo(0, label.getBoundingClientRect().top + window.scrollY - 72);
      });
      await page.waitForTimeout(400);
      const clip = await blocks.nth(i).evaluate((pre) => {
        const top = Math.max(0, (pre.previousElementSibling ?? pre).getBoundingClientRect().top - 16);
        return { x: 0, y: top, width: innerWidth, height: Math.min(innerHeight - top, pre.getBoundingClientRect().bottom - top + 16) };
      });
      await page.screenshot({ path: join(out, `typeit-${name}-${theme}-${width}.png`), clip });
      shots++;
    }
    await page.close();
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
