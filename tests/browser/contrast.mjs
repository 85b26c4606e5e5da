// Contrast that axe-core does not measure, in each of the five themes:
// the book's "Output" label (a ::before at reduced opacity, theme/coding-by-hand.css),
// the skip link when focused, and icons (non-text, WCAG 1.4.11 wants 3:1):
// menu-bar icons and the listing buttons (Run, copy, hidden lines). And the
// typing mode ("Type it"), whose text lies under a transparent textarea, so
// that axe calls it obscured and skips it: the faded listing and what is
// typed over it (text, 4.5:1), what is typed standing out from the faded
// listing (1.5 times its contrast), a slip's character on its mark (4.5:1),
// the mark, the caret and the focus ring on the code's background (3:1).
//
//   node tests/browser/contrast-extra.mjs BOOK_HTML_DIR
import { chromium } from 'playwright-core';
import { serve, launchArgs } from './serve.mjs';
import { firstListingPage } from './summary.mjs';

const [root = 'book'] = process.argv.slice(2);
const chapter = await firstListingPage(root);
const { server, base } = await serve(root);
const browser = await chromium.launch(launchArgs);
let bad = 0;
for (const theme of ['light', 'rust', 'coal', 'navy', 'ayu']) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route((url) => !url.href.startsWith(base), (r) => r.abort());
  await context.addInitScript((t) => localStorage.setItem('mdbook-theme', t), theme);
  const page = await context.newPage();
  await page.goto(base + chapter);
  await page.locator('pre.playground .play-button').first().focus();
  const rows = await page.evaluate(() => {
    const rgb = (c) => c.match(/[\d.]+/g).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
      .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const blend = (fg, bg, alpha) => fg.slice(0, 3).map((v, i) => v * alpha + bg[i] * (1 - alpha));
    const bgOf = (el) => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };
    const out = [];
    const pre = document.querySelector('main pre:has(> code.language-text)');
    const before = getComputedStyle(pre, '::before');
    const codeBg = bgOf(pre.querySelector('code'));
    out.push(['"Output" label (text)', ratio(blend(rgb(before.color), codeBg, Number(before.opacity)), codeBg), 4.5]);
    const skip = document.querySelector('.cbh-skip-link');
    if (skip) out.push(['skip link (text)', ratio(rgb(getComputedStyle(skip).color), bgOf(skip)), 4.5]);
    const icon = document.querySelector('#mdbook-theme-toggle');
    out.push(['menu-bar icons', ratio(rgb(getComputedStyle(icon).color), bgOf(icon)), 3]);
    for (const b of document.querySelectorAll('pre.playground:first-of-type > .buttons > button')) {
      out.push([`listing button "${b.title}"`, ratio(rgb(getComputedStyle(b).color), bgOf(b)), 3]);
    }
    // The copy icon is a black SVG drawn through the CSS filter --copy-button-filter.
    const clip = document.querySelector('pre > .buttons > .clip-button');
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d');
    ctx.filter = getComputedStyle(clip).getPropertyValue('--copy-button-filter').trim() || 'none';
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, 10, 10);
    out.push(['copy icon (through its filter)', ratio([...ctx.getImageData(5, 5, 1, 1).data], bgOf(clip)), 3]);
    return out;
  });
  // The typing mode, open on the first listing, with a slip.
  const pre = page.locator('main .cbh-listing-label:not([data-exercise]) + pre').first();
  await pre.locator('.cbh-typeit-button').click();
  await pre.locator('.cbh-ti-input').waitFor({ timeout: 5000 });
  await page.keyboard.type('le#');
  rows.push(...await pre.evaluate((p) => {
    const rgb = (c) => c.match(/[\d.]+/g).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
      .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m); return (x + 0.05) / (y + 0.05); };
    const surface = p.querySelector('.cbh-ti-surface');
    const bg = rgb(getComputedStyle(surface).backgroundColor);
    const rest = ratio(rgb(getComputedStyle(p.querySelector('.cbh-ti-rest')).color), bg);
    const ink = ratio(rgb(getComputedStyle(p.querySelector('.cbh-ti-layer')).color), bg);
    const mark = getComputedStyle(p.querySelector('.cbh-ti-slip'));
    const input = getComputedStyle(p.querySelector('.cbh-ti-input'));
    return [
      ['typing: the faded listing (text)', rest, 4.5],
      ['typing: what is typed (text)', ink, 4.5],
      ['typing: typed text over faded (x contrast)', ink / rest, 1.5],
      ['typing: a slip\'s character on its mark', ratio(rgb(mark.color), rgb(mark.backgroundColor)), 4.5],
      ['typing: a slip\'s mark on the code', ratio(rgb(mark.backgroundColor), bg), 3],
      ['typing: the caret', ratio(rgb(input.caretColor), bg), 3],
      ['typing: the focus ring', ratio(rgb(getComputedStyle(surface).outlineColor), bg), 3],
    ];
  }));
  for (const [what, r, min] of rows) {
    const ok = r >= min;
    if (!ok) bad++;
    console.log(`${theme.padEnd(5)} ${what.padEnd(40)} ${r.toFixed(2)}:1 ${ok ? 'ok' : `FAIL (< ${min})`}`);
  }
  await context.close();
}
await browser.close();
server.close();
process.exit(bad ? 1 : 0);
