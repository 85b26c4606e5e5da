// "Predict it" (issue 29; theme/cbh-predict.js), as a learner uses it on the
// first chapter with a checked output, in headless Chromium with only
// 127.0.0.1 reachable, keyboard only, at 1280 and at 375 px (touch):
//
// - every checked output block (one the listing-labels preprocessor marks)
//   has "Predict it", and its code is not downloaded until it is pressed
//   (one request, from the page's origin);
// - Enter on "Predict it" hides the output and puts the caret in the box;
//   a prediction with one wrong line, checked with the keyboard, shows the
//   output again with that line marked wrong and the others right, and says
//   so in words (which line, what was written, what it prints) in a live
//   region; a right prediction says it is right; the result is kept in
//   localStorage;
// - Enter on "Predict it" again closes it and shows the output; no request
//   leaves the origin; no console error; in print it is absent;
// - on a book with outputs that vary (the course-book fixture), each is
//   compared within the tolerance its listing declares: lines in another
//   order (any-order), without the `...` lines (elided-lines), without the
//   lines that may be missing (optional-lines) are right; a changed line of
//   its own is still marked.
//
// Prints one line per check; exits 1 if any fails.
//
//   node tests/browser/predict.mjs BOOK_HTML_DIR
import { chromium } from 'playwright-core';
import { serve, launchArgs, openLogged } from './serve.mjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chapterPages } from './summary.mjs';

const [root = 'book/html'] = process.argv.slice(2);
let chapter = null;
for (const p of await chapterPages()) {
  // A page with an output block (not only sessions, which have no "Predict it").
  if (/class="cbh-output-of" data-listing="[^"]*"(?! data-kind)/.test(await readFile(join(root, p), 'utf8').catch(() => ''))) { chapter = p; break; }
}
const { server, base } = await serve(root);
const browser = await chromium.launch(launchArgs);
let failed = 0;
const check = (ok, what, detail = '') => {
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
};

async function session(width, mobile) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, hasTouch: mobile, isMobile: mobile });
  const log = { offOrigin: [], errors: [], local: [] };
  await context.route((url) => !url.href.startsWith(base), (route) => {
    log.offOrigin.push(`${route.request().method()} ${route.request().url()}`);
    return route.abort('internetdisconnected');
  });
  const page = await openLogged(context, base, chapter, log);
  const at = `${width}px`;
  const outputs = await page.locator('main .cbh-output-of + pre').count();
  const buttons = await page.locator('main .cbh-output-of + pre .cbh-predict-button').count();
  const transcripts = await page.locator('main .cbh-output-of[data-kind="transcript"] + pre').count();
  check(outputs > 0 && buttons === outputs - transcripts, `${at}: every checked output has "Predict it"`, `${buttons} of ${outputs - transcripts}`);
  check(!log.local.some((u) => u.includes('cbh-predict')), `${at}: "Predict it" is not loaded before it is pressed`);

  const pre = page.locator('main .cbh-output-of:not([data-kind]) + pre').first();
  const code = pre.locator(':scope > code');
  const lines = await code.evaluate((c) => c.innerText.replace(/\s+$/, '').split('\n').map((l) => l.replace(/\s+$/, '')));
  const button = pre.locator('.cbh-predict-button');
  await button.focus();
  await page.keyboard.press('Enter');
  const opened = await page.locator('.cbh-pr-input').waitFor({ timeout: 5000 }).then(() => true, () => false);
  check(opened, `${at}: Enter on "Predict it" opens it`);
  if (!opened) return context.close();
  const loaded = log.local.filter((u) => u.includes('cbh-predict'));
  check(loaded.length === 1 && loaded[0].startsWith('fonts/'), `${at}: pressing it loads it once, from the origin`, loaded.join(', '));
  check(!(await code.isVisible()), `${at}: the output is hidden while predicting`);
  check(await page.evaluate(() => document.activeElement?.classList.contains('cbh-pr-input')), `${at}: the caret is in the box`);

  // One wrong line: the last (or the only) one.
  const wrongAt = lines.length - 1;
  const predicted = lines.map((l, i) => (i === wrongAt ? `${l} (a guess)` : l));
  for (const [i, line] of predicted.entries()) {
    await page.keyboard.type(line);
    if (i < predicted.length - 1) await page.keyboard.press('Enter');
  }
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement?.classList.contains('cbh-pr-check')), `${at}: Tab reaches "Check my prediction"`);
  await page.keyboard.press('Enter');
  const answered = await page.locator('.cbh-pr-summary').waitFor({ timeout: 5000 }).then(() => true, () => false);
  check(answered, `${at}: Enter on "Check my prediction" answers`);
  if (!answered) return context.close();
  const marked = await code.evaluate((c) => [...c.querySelectorAll('.cbh-line')].map((l) =>
    l.classList.contains('cbh-pr-wrong') ? 'wrong' : l.classList.contains('cbh-pr-right') ? 'right' : 'none'));
  const expected = lines.map((_, i) => (i === wrongAt ? 'wrong' : 'right'));
  check(await code.isVisible() && expected.every((m, i) => marked[i] === m),
    `${at}: checked, the output shows again with the wrong line marked and the others confirmed`, marked.join(' '));
  const said = await page.locator('.cbh-pr-result').innerText();
  check(said.includes(`${lines.length - 1} of ${lines.length} lines right`) && said.includes(`Line ${wrongAt + 1}: you wrote`),
    `${at}: the result says it in words`, said.replace(/\s+/g, ' ').slice(0, 120));
  check(await page.locator('.cbh-pr-result[aria-live="polite"]').count() === 1, `${at}: the result is a live region`);
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('cbh-predict:')));
  check(kept.length === 1, `${at}: the result is kept in localStorage`, kept.join(', '));

  // A right prediction says so.
  await page.locator('.cbh-pr-input').fill(lines.join('\n'));
  await page.locator('.cbh-pr-check').focus();
  await page.keyboard.press('Enter');
  const right = await page.locator('.cbh-pr-summary').innerText();
  check(right.startsWith('Right: every line'), `${at}: a right prediction says so`, right);

  // Closed from its button, with the output shown.
  await button.focus();
  await page.keyboard.press('Enter');
  check(await page.locator('.cbh-pr').count() === 0 && await code.isVisible(), `${at}: pressed again, it closes and the output shows`);
  check(log.offOrigin.length === 0, `${at}: no request leaves the origin`, log.offOrigin.join(', '));
  check(log.errors.length === 0, `${at}: no console error`, log.errors.join('; '));
  await context.close();
}

// Each output that varies, predicted as a learner who read the note would:
// its lines in another order, without its `...` lines, without its lines that
// may be missing; right within its tolerance. Then one of its own lines
// changed: marked wrong.
async function varying(pageName) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route((url) => !url.href.startsWith(base), (route) => route.abort());
  const page = await context.newPage();
  await page.goto(base + pageName);
  await page.waitForLoadState('networkidle');
  const markers = page.locator('main .cbh-output-of[data-any-order], main .cbh-output-of[data-elided], main .cbh-output-of[data-optional]');
  const n = await markers.count();
  check(n > 0, `${pageName}: outputs that vary carry their tolerance`, `${n}`);
  for (let i = 0; i < n; i++) {
    const marker = markers.nth(i);
    const tol = await marker.evaluate((m) => ({ any: m.hasAttribute('data-any-order'), elided: m.hasAttribute('data-elided'),
      optional: JSON.parse(m.dataset.optional || '[]'), listing: m.dataset.listing }));
    const pre = page.locator(`main .cbh-output-of[data-listing="${tol.listing}"] + pre`);
    const lines = await pre.locator(':scope > code').evaluate((c) => c.innerText.replace(/\s+$/, '').split('\n'));
    let predicted = lines.filter((l) => !(tol.elided && l.trim() === '...') && !tol.optional.some((o) => l.includes(o)));
    if (tol.any) predicted = [...predicted].reverse();
    const predict = async (text) => {
      await pre.locator('.cbh-predict-button').click();
      await page.locator('.cbh-pr-input').fill(text);
      await page.locator('.cbh-pr-check').click();
      const said = await page.locator('.cbh-pr-summary').innerText();
      await pre.locator('.cbh-predict-button').click();
      return said;
    };
    const right = await predict(predicted.join('\n'));
    check(right.startsWith('Right'), `${tol.listing}: within its tolerance, a right prediction is right`, right);
    const changed = [...predicted];
    changed[0] = `${changed[0]} (changed)`;
    const wrong = await predict(changed.join('\n'));
    check(!wrong.startsWith('Right'), `${tol.listing}: a line of its own changed is still wrong`, wrong);
  }
  await context.close();
}

if (!chapter) {
  check(false, 'a chapter with a checked output block');
} else {
  for (const p of await chapterPages()) {
    if ((await readFile(join(root, p), 'utf8').catch(() => '')).match(/data-(any-order|elided|optional)/)) await varying(p);
  }
  await session(1280, false);
  await session(375, true);
  // In print: no panel, the output printed.
  const context = await browser.newContext({ viewport: { width: 800, height: 1100 } });
  await context.route((url) => !url.href.startsWith(base), (route) => route.abort());
  const page = await context.newPage();
  await page.goto(base + chapter);
  await page.locator('main .cbh-output-of:not([data-kind]) + pre .cbh-predict-button').first().click();
  await page.locator('.cbh-pr-input').waitFor({ timeout: 5000 });
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => ({
    panel: [...document.querySelectorAll('.cbh-pr')].some((p) => getComputedStyle(p).display !== 'none'),
    output: getComputedStyle(document.querySelector('main .cbh-output-of:not([data-kind]) + pre > code')).display !== 'none',
  }));
  check(!printed.panel && printed.output, 'print: no "Predict it" panel, the output printed');
  await context.close();
}
await browser.close();
server.close();
console.log(failed ? `predict: ${failed} problem(s)` : 'predict: ok');
process.exit(failed ? 1 : 0);
