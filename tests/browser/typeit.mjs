// "Type it", the typing mode (issue 22; theme/cbh-typeit.js), as a learner
// uses it on the first chapter with a runnable listing, in headless Chromium
// with only 127.0.0.1 reachable and the Rust Playground mocked:
//
// - every block that shows a listing's file has "Type it", and the typing
//   mode is not downloaded until it is pressed (one request, from the
//   page's origin);
// - typing each of the chapter's listings exactly, at 1280 and at 375 px
//   (touch), finishes with "0 slips", no slip marked, and a best time kept
//   in localStorage; so does every listing of the other chapters (BOOK_SRC's
//   SUMMARY.md), at 1280 px;
// - a slip is marked at its line and column (over the character it
//   replaced), the box is aria-invalid and a live region says where, and
//   Backspace clears all three; indentation typed by hand counts too;
// - the keyboard alone: Tab reaches "Type it", Enter opens it with the
//   caret in the box, Tab indents, Shift+Tab and Esc leave it, Enter on
//   "Type it" closes it;
// - no request leaves the origin until "Run what you typed", which posts
//   the whole program (the typed part between the hidden lines) once, and
//   says whether what it printed is the book's checked output;
// - a phone's keyboard: no autocorrect, no autocapitalize, no spellcheck;
//   pasting is off; in print the typing mode is absent and the listing is
//   printed.
//
// Prints one line per check; exits 1 if any fails. TYPEIT_PART=listings,
// slips, keyboard, run or print runs that part only (self-test.mjs does).
//
//   node tests/browser/typeit.mjs BOOK_HTML_DIR
import { chromium } from 'playwright-core';
import { serve, launchArgs, openLogged } from './serve.mjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chapterPages, firstListingPage } from './summary.mjs';

const [root = 'book/html'] = process.argv.slice(2);
const chapter = await firstListingPage(root);
// Every other chapter page with a listing's block: each listing typed too, at 1280 px.
const others = [];
for (const p of await chapterPages()) {
  if (p !== chapter && (await readFile(join(root, p), 'utf8').catch(() => '')).includes('cbh-listing-label')) others.push(p);
}
const { server, base } = await serve(root);
const browser = await chromium.launch(launchArgs);
let failed = 0;
const check = (ok, what, detail = '') => {
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
};

// printed: what the mocked playground answers "Run what you typed" with
// (null: the book's own checked output, read from the page).
async function open({ width = 1280, mobile = false, printed = null, pageName = chapter } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, hasTouch: mobile, isMobile: mobile });
  const log = { offOrigin: [], posts: [], errors: [], local: [] };
  await context.route((url) => !url.href.startsWith(base), async (route) => {
    const req = route.request();
    log.offOrigin.push(`${req.method()} ${req.url()}`);
    if (req.url() === 'https://play.rust-lang.org/evaluate.json') {
      log.posts.push(JSON.parse(req.postData() ?? '{}'));
      const result = printed ?? log.bookOutput ?? '';
      return route.fulfill({ contentType: 'application/json', headers: { 'access-control-allow-origin': '*' },
        body: JSON.stringify({ result, error: null }) });
    }
    return route.abort('internetdisconnected');
  });
  const page = await openLogged(context, base, pageName, log);
  return { context, page, log };
}

// What block i shows, as the learner reads it (hidden lines hidden).
const shownText = (page, i) => page.locator('main .cbh-listing-label:not([data-exercise]) + pre > code').nth(i)
  .evaluate((c) => c.innerText.replace(/\s+$/, '').split('\n').map((l) => l.replace(/\s+$/, '')));
const blocks = (page) => page.locator('main .cbh-listing-label:not([data-exercise]) + pre').count();

async function typeLines(page, lines, { indent = false } = {}) {
  for (const [i, line] of lines.entries()) {
    await page.keyboard.type(indent ? line : line.trimStart());
    if (i < lines.length - 1) await page.keyboard.press('Enter');
  }
}

const state = (page, i = 0) => page.locator('main .cbh-listing-label:not([data-exercise]) + pre').nth(i).evaluate((pre) => {
  const input = pre.querySelector('.cbh-ti-input');
  return {
    open: !!pre.querySelector('.cbh-ti'),
    pressed: pre.querySelector('.cbh-typeit-button')?.getAttribute('aria-pressed'),
    focused: document.activeElement === input,
    invalid: input?.getAttribute('aria-invalid'),
    alert: pre.querySelector('.cbh-ti-sr[aria-live="assertive"]')?.textContent ?? '',
    summary: pre.querySelector('.cbh-ti-summary')?.textContent ?? '',
    progress: pre.querySelector('.cbh-ti-progress')?.textContent ?? '',
    slips: [...pre.querySelectorAll('.cbh-ti-slip, .cbh-ti-missing')].map((m) => {
      const r = m.getBoundingClientRect();
      const style = getComputedStyle(m);
      return { line: Number(m.dataset.line), col: Number(m.dataset.col), x: r.left, y: r.top, w: r.width, h: r.height,
        bg: style.backgroundColor, deco: style.textDecorationLine };
    }),
    codeShown: pre.querySelector(':scope > code').getBoundingClientRect().height > 2,
    attrs: input ? Object.fromEntries(['autocorrect', 'autocapitalize', 'spellcheck', 'autocomplete']
      .map((a) => [a, input.getAttribute(a)])) : {},
  };
});

const part = (name) => !process.env.TYPEIT_PART || process.env.TYPEIT_PART === name;
const typingModule = (log) => log.local.filter((u) => /^fonts\/cbh-typeit[^/]*\.js$/.test(u));

// 1. Every listing's block has Type it; nothing of the typing mode loads
// before it is pressed; typing each listing exactly finishes with 0 slips.
const runs = [[chapter, 1280, false], [chapter, 375, true], ...others.map((p) => [p, 1280, false])];
for (const [pageName, width, mobile] of part('listings') ? runs : []) {
  try {
    const { context, page, log } = await open({ width, mobile, pageName });
    if (pageName !== chapter) console.log(`     ${pageName}:`);
    const n = await blocks(page);
    const buttons = await page.locator('main .cbh-listing-label:not([data-exercise]) + pre > .buttons > .cbh-typeit-button').count();
    check(n > 0 && buttons === n, `${width}px: "Type it" on every block that shows a listing's file`, `${buttons} of ${n}`);
    check(typingModule(log).length === 0, `${width}px: the typing mode is not downloaded on load`, typingModule(log).join(', '));
    for (let i = 0; i < n; i++) {
      const lines = await shownText(page, i);
      const pre = page.locator('main .cbh-listing-label:not([data-exercise]) + pre').nth(i);
      await pre.locator('.cbh-typeit-button').click();
      await pre.locator('.cbh-ti-input').waitFor({ timeout: 5000 });
      await typeLines(page, lines);
      const s = await state(page, i);
      check(s.focused && /^Done in \d+:\d\d/.test(s.summary) && /\b0 slips\b/.test(s.summary) && s.slips.length === 0
        && s.invalid === 'false', `${width}px: typing block ${i + 1} exactly (${lines.length} lines) finishes with 0 slips`,
        s.summary || s.progress);
      if (i === 0) {
        check(s.attrs.autocorrect === 'off' && s.attrs.autocapitalize === 'off' && s.attrs.spellcheck === 'false'
          && s.attrs.autocomplete === 'off', `${width}px: no autocorrect, autocapitalize, spellcheck or autocomplete`, JSON.stringify(s.attrs));
        const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('cbh-typeit:')));
        check(kept.length === 1 && /Your first time/.test(s.summary), `${width}px: the time is kept in localStorage`, kept.join(', '));
      }
    }
    check(typingModule(log).length === 1, `${width}px: the typing mode is downloaded once, from the page's origin`, typingModule(log).join(', '));
    check(log.offOrigin.length === 0, `${width}px: no request leaves the origin while typing`, log.offOrigin.join(', '));
    check(log.errors.length === 0, `${width}px: no console errors`, log.errors.join(' | '));
    // Once more: the best time so far.
    const pre = page.locator('main .cbh-listing-label:not([data-exercise]) + pre').first();
    await pre.locator('.cbh-ti-again').click();
    await typeLines(page, await shownText(page, 0));
    const again = await state(page, 0);
    check(/(Best so far: \d+:\d\d|A new best)/.test(again.summary), `${width}px: a second time says the best time so far`, again.summary);
    await context.close();
  } catch (e) {
    check(false, `${pageName} ${width}px: typing every listing`, e.message.split('\n')[0]);
  }
}

// 2. A slip is marked where it happened, for the eye and for assistive
// technology, and Backspace clears it; indentation typed by hand counts.
if (part('slips')) try {
  const { context, page } = await open();
  const lines = await shownText(page, 0);
  const pre = page.locator('main .cbh-listing-label:not([data-exercise]) + pre').first();
  await pre.locator('.cbh-typeit-button').click();
  await pre.locator('.cbh-ti-input').waitFor();
  // The first line, right but for one character, at column `col`.
  const first = lines[0];
  const col = Math.max(1, first.search(/[;=:]/));
  const wrongChar = first[col] === '#' ? '@' : '#';
  await page.keyboard.type(first.slice(0, col) + wrongChar);
  const s = await state(page, 0);
  const mark = s.slips.find((m) => m.line === 1 && m.col === col + 1);
  // Where the typed character is: its cell in the textarea the learner
  // types in (its padding, then one character's width per column).
  const grid = await pre.evaluate((p, c) => {
    const input = p.querySelector('.cbh-ti-input');
    const style = getComputedStyle(input);
    const probe = document.createElement('span');
    probe.textContent = '0'.repeat(10);
    p.querySelector('.cbh-ti-layer').append(probe);
    const w = probe.getBoundingClientRect().width / 10;
    probe.remove();
    const box = input.getBoundingClientRect();
    return { x: box.left + parseFloat(style.paddingLeft) + w * c, y: box.top + parseFloat(style.paddingTop), w };
  }, col);
  check(!!mark && Math.abs(mark.x - grid.x) < 1.5 && Math.abs(mark.y - grid.y) < 3 && mark.w > grid.w * 0.8,
    `a slip is marked at its line and column (line 1, column ${col + 1})`,
    mark ? `mark at ${mark.x.toFixed(1)},${mark.y.toFixed(1)}, expected ${grid.x.toFixed(1)},${grid.y.toFixed(1)}` : JSON.stringify(s.slips));
  check(!!mark && mark.bg !== 'rgba(0, 0, 0, 0)' && mark.deco.includes('underline'), 'a slip is visible (a coloured box, underlined)', mark ? `${mark.bg} ${mark.deco}` : '');
  check(s.invalid === 'true' && s.alert.includes(`line 1, column ${col + 1}`), 'a slip makes the box aria-invalid and is announced',
    `aria-invalid=${s.invalid}; "${s.alert}"`);
  check(/\b1 slip\b/.test(s.progress), 'a slip is counted', s.progress);
  await page.keyboard.press('Backspace');
  const fixed = await state(page, 0);
  check(fixed.slips.length === 0 && fixed.invalid === 'false', 'Backspace clears the slip and aria-invalid', JSON.stringify(fixed.slips));
  // An early Enter is a slip where the line stopped.
  await page.keyboard.press('Enter');
  const early = await state(page, 0);
  check(early.slips.some((m) => m.line === 1 && m.col === col + 1 && m.deco.includes('underline')) && early.invalid === 'true',
    'leaving a line before its end is a slip, marked where it stopped', JSON.stringify(early.slips.map((m) => [m.line, m.col])));
  await page.keyboard.press('Backspace');
  // Indentation by hand: with filling in switched off, a missing indent is a slip.
  await pre.locator('.cbh-ti-option input').uncheck();
  await pre.locator('.cbh-ti-again').click();
  const indented = lines.findIndex((l) => /^ +\S/.test(l));
  if (indented > 0) {
    await typeLines(page, lines.slice(0, indented), { indent: true });
    await page.keyboard.press('Enter');
    await page.keyboard.type(lines[indented].trimStart().slice(0, 3));
    const s2 = await state(page, 0);
    check(s2.slips.some((m) => m.line === indented + 1 && m.col === 1),
      'with indentation typed by hand, a missing indent is a slip', JSON.stringify(s2.slips.map((m) => [m.line, m.col])));
    await pre.locator('.cbh-ti-again').click();
    await typeLines(page, lines, { indent: true });
    const s3 = await state(page, 0);
    check(/\b0 slips\b/.test(s3.summary), 'with indentation typed by hand, typing it exactly finishes with 0 slips', s3.summary || s3.progress);
  }
  // Trailing spaces never count.
  await pre.locator('.cbh-ti-option input').check();
  await pre.locator('.cbh-ti-again').click();
  await page.keyboard.type(`${lines[0]}   `);
  const s4 = await state(page, 0);
  check(s4.slips.length === 0 && s4.invalid === 'false', 'spaces after the end of a line are not slips', JSON.stringify(s4.slips));
  // Pasting is off.
  await page.evaluate(() => {
    const input = document.querySelector('.cbh-ti-input');
    const data = new DataTransfer();
    data.setData('text/plain', 'pasted');
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  const value = await pre.locator('.cbh-ti-input').inputValue();
  check(!value.includes('pasted'), 'pasting into the box is off', value.slice(-20));
  await context.close();
} catch (e) {
  check(false, '2. Slips', e.message.split('\n')[0]);
}

// 3. The keyboard alone.
if (part('keyboard')) try {
  const { context, page, log } = await open();
  const lines = await shownText(page, 0);
  let reached = false;
  for (let i = 0; i < 80 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.classList.contains('cbh-typeit-button'));
  }
  check(reached, 'keyboard: Tab reaches "Type it"');
  // The rest is done from "Type it": without it, each step would only wait
  // out its timeout.
  if (!reached) throw new Error('the keyboard checks after it need "Type it" focused');
  await page.keyboard.press('Enter');
  await page.locator('.cbh-ti-input').first().waitFor();
  const s = await state(page, 0);
  check(s.focused && s.pressed === 'true', 'keyboard: Enter on "Type it" opens it, the caret in the box', `pressed=${s.pressed}`);
  await page.keyboard.press('Tab');
  const tabbed = await page.locator('.cbh-ti-input').first().inputValue();
  check(tabbed === '    ' && (await state(page, 0)).focused, 'keyboard: Tab in the box indents', JSON.stringify(tabbed));
  await page.keyboard.press('Backspace');
  for (let k = 0; k < 3; k++) await page.keyboard.press('Backspace');
  await typeLines(page, lines);
  const done = await state(page, 0);
  // The four spaces of Tab at column 1 were a slip (the listing has no
  // indent there): the summary says so.
  check(/^Done in/.test(done.summary) && /\b1 slip: indentation\b/.test(done.summary),
    'keyboard: a listing typed from the keyboard alone finishes (the Tab counted as a slip of indentation)', done.summary || done.progress);
  await page.keyboard.press('Shift+Tab');
  const back = await page.evaluate(() => ({ inBox: document.activeElement?.classList.contains('cbh-ti-input'),
    inMode: !!document.activeElement?.closest('.cbh-ti') }));
  check(!back.inBox && back.inMode, 'keyboard: Shift+Tab leaves the box (no keyboard trap)', JSON.stringify(back));
  await page.locator('.cbh-ti-input').first().focus();
  await page.keyboard.press('Escape');
  const esc = await page.evaluate(() => document.activeElement?.classList.contains('cbh-typeit-button'));
  check(esc, 'keyboard: Esc leaves the box for "Type it"');
  await page.keyboard.press('Enter');
  const closed = await state(page, 0);
  check(!closed.open && closed.pressed === 'false' && closed.codeShown, 'keyboard: Enter on "Type it" closes it, the listing shown again',
    `open=${closed.open} pressed=${closed.pressed}`);
  check(log.offOrigin.length === 0 && log.errors.length === 0, 'keyboard: no off-origin request, no console errors',
    [...log.offOrigin, ...log.errors].join(' | '));
  await context.close();
} catch (e) {
  check(false, '3. Keyboard', e.message.split('\n')[0]);
}

// 4. Run what you typed: nothing leaves the origin before it; then one
// POST of the whole program, and the comparison with the book's output.
for (const [printed, expect] of part('run') ? [[null, 'same'], ['something else\n', 'differs']] : []) {
  try {
    const { context, page, log } = await open({ printed });
    // The first block with a Run button that the page follows with its
    // output (the next block is ```text); the mock answers "same" with it.
    // (Found by its place, not by the marker the typing mode reads, so that
    // a page without the marker fails.)
    const found = await page.evaluate(() => {
      const all = [...document.querySelectorAll('main pre')];
      const pres = [...document.querySelectorAll('main .cbh-listing-label:not([data-exercise]) + pre')];
      for (const [i, pre] of pres.entries()) {
        const play = pre.querySelector('.play-button');
        if (!play || play.hidden) continue;
        const next = all[all.indexOf(pre) + 1]?.querySelector(':scope > code.language-text');
        if (next) return { i, output: next.textContent };
      }
      return null;
    });
    if (!found) throw new Error('no listing on the page has a Run button and its output just after it');
    const runnable = found.i;
    log.bookOutput = found.output;
    const pre = page.locator('main .cbh-listing-label:not([data-exercise]) + pre').nth(runnable);
    const lines = await shownText(page, runnable);
    await pre.locator('.cbh-typeit-button').click();
    await pre.locator('.cbh-ti-input').waitFor();
    await typeLines(page, lines);
    check(log.offOrigin.length === 0, `run (${expect}): nothing leaves the origin before "Run what you typed"`, log.offOrigin.join(', '));
    await pre.locator('.cbh-ti-run').click();
    await pre.locator('.cbh-ti-verdict').waitFor({ timeout: 5000 });
    const verdict = await pre.locator('.cbh-ti-verdict').textContent();
    const post = log.posts[0] ?? {};
    const whole = lines.every((l) => !l.trim() || (post.code ?? '').includes(l.trim())) && /fn main\(\)/.test(post.code ?? '');
    check(log.posts.length === 1 && whole && post.edition === '2024',
      `run (${expect}): one POST to the playground, the typed lines within the hidden rest of the program, edition 2024`,
      `${log.posts.length} posts, edition ${post.edition}`);
    check(log.offOrigin.every((u) => u === 'POST https://play.rust-lang.org/evaluate.json'), `run (${expect}): nothing else left the origin`,
      log.offOrigin.join(', '));
    check(expect === 'same' ? /^✓ The same as the book's checked output/.test(verdict) : /^Not the same as the book's checked output/.test(verdict),
      `run (${expect}): what it printed is compared with the book's checked output`, verdict);
    await context.close();
  } catch (e) {
    check(false, `4. Run what you typed (${expect})`, e.message.split('\n')[0]);
  }
}

// 5. Print: the typing mode is absent, the listing printed.
if (part('print')) try {
  const { context, page } = await open();
  const pre = page.locator('main .cbh-listing-label:not([data-exercise]) + pre').first();
  await pre.locator('.cbh-typeit-button').click();
  await pre.locator('.cbh-ti-input').waitFor();
  await page.keyboard.type('let');
  await page.emulateMedia({ media: 'print' });
  const printed = await pre.evaluate((p) => ({
    mode: p.querySelector('.cbh-ti').getBoundingClientRect().height,
    code: p.querySelector(':scope > code').getBoundingClientRect().height,
  }));
  check(printed.mode === 0 && printed.code > 20, 'print: the typing mode is absent, the listing printed', JSON.stringify(printed));
  await context.close();
} catch (e) {
  check(false, '5. Print', e.message.split('\n')[0]);
}

await browser.close();
server.close();
console.log(failed ? `${failed} check(s) failed` : 'all checks passed');
process.exit(failed ? 1 : 0);
