// "Write it" (issue 29; theme/cbh-typeit.js's free mode), on a book with
// exercises (the course-book fixture), in headless Chromium with only
// 127.0.0.1 reachable and the Rust Playground mocked, keyboard first, at
// 1280 and 375 px (touch):
//
// - an exercise's starter (its label says data-exercise) has "Write it" in
//   place of "Type it", and the mode is not downloaded until it is pressed;
// - Enter on it opens the starter in an editable box with the caret in it;
// - "Run what you wrote" with the starter as it is says it is not the
//   exercise's goal yet; with the learner's solution written in, that it
//   prints the goal; each run posts the whole program once, and nothing else
//   leaves the origin; the draft is kept in localStorage;
// - an exercise whose goal is tests (not run on the playground) opens with
//   no Run button and says its goal is the tests;
// - no console error; axe-core finds no violation with it open.
//
// Prints one line per check; exits 1 if any fails.
//
//   BOOK_SRC=tests/fixtures/course-book/src node tests/browser/writeit.mjs BOOK_HTML_DIR
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, launchArgs, openLogged } from './serve.mjs';
import { chapterPages } from './summary.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const [root = 'target/course-book-html'] = process.argv.slice(2);
const withExercise = async (goal) => {
  for (const p of await chapterPages()) {
    if ((await readFile(join(root, p), 'utf8').catch(() => '')).includes(`data-exercise="${goal}"`)) return p;
  }
  return null;
};
const outputPage = await withExercise('output');
const testsPage = await withExercise('tests');
const { server, base } = await serve(root);
const browser = await chromium.launch(launchArgs);
let failed = 0;
const check = (ok, what, detail = '') => {
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
};

// The solution the test "writes": the line that replaces the starter's
// `todo!(…)`, read from the listing's solution/ (never typed here twice).
async function solutionLine(listing, todo) {
  const solution = await readFile(join(process.env.BOOK_SRC ?? 'src', '..', listing, 'solution', 'main.rs'), 'utf8');
  const starter = await readFile(join(process.env.BOOK_SRC ?? 'src', '..', listing, 'src', 'main.rs'), 'utf8');
  const i = starter.split('\n').findIndex((l) => l.trim() === todo.trim());
  return solution.split('\n')[i].trim();
}

async function open(pageName, width, mobile, log) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, hasTouch: mobile, isMobile: mobile });
  await context.route((url) => !url.href.startsWith(base), async (route) => {
    const req = route.request();
    if (req.url() === 'https://play.rust-lang.org/evaluate.json') {
      const posted = JSON.parse(req.postData() ?? '{}');
      log.posts.push(posted);
      // The mocked playground: the goal for a program with the solution's
      // line in it, else what the starter's todo!() says.
      const solved = log.solution && posted.code?.includes(log.solution);
      return route.fulfill({ contentType: 'application/json', headers: { 'access-control-allow-origin': '*' },
        body: JSON.stringify({ result: solved ? log.goal : '', error: solved ? null : 'thread \'main\' panicked: not yet implemented' }) });
    }
    log.offOrigin.push(`${req.method()} ${req.url()}`);
    return route.abort('internetdisconnected');
  });
  return { context, page: await openLogged(context, base, pageName, log) };
}

async function outputGoal(width, mobile) {
  const at = `${width}px`;
  const log = { offOrigin: [], errors: [], local: [], posts: [] };
  const { context, page } = await open(outputPage, width, mobile, log);
  const label = page.locator('main .cbh-listing-label[data-exercise="output"]').first();
  const listing = await label.getAttribute('data-listing');
  const pre = page.locator('main .cbh-listing-label[data-exercise="output"] + pre').first();
  const button = pre.locator('.cbh-typeit-button');
  check((await button.innerText()) === 'Write it', `${at}: an exercise's starter has "Write it"`, await button.innerText());
  check(!log.local.some((u) => u.includes('cbh-typeit')), `${at}: "Write it" is not loaded before it is pressed`);
  log.goal = await page.locator(`main .cbh-output-of[data-listing="${listing}"] + pre > code`).innerText();
  const shown = await pre.locator(':scope > code').evaluate((c) => c.innerText.replace(/\s+$/, '').split('\n').map((l) => l.replace(/\s+$/, '')));
  await button.focus();
  await page.keyboard.press('Enter');
  const box = page.locator('.cbh-wi-input');
  const opened = await box.waitFor({ timeout: 5000 }).then(() => true, () => false);
  check(opened, `${at}: Enter on "Write it" opens it`);
  if (!opened) return context.close();
  check(await page.evaluate(() => document.activeElement?.classList.contains('cbh-wi-input')), `${at}: the caret is in the box`);
  const value = await box.inputValue();
  check(value === shown.join('\n'), `${at}: the box holds the starter`, value.split('\n')[0]);
  // The starter as it is: not the goal yet.
  await page.locator('.cbh-ti-run').click();
  await page.locator('.cbh-ti-verdict').waitFor({ timeout: 5000 });
  const before = await page.locator('.cbh-ti-verdict').innerText();
  check(/^Not the exercise's goal yet/.test(before), `${at}: the starter run says it is not the goal yet`, before.slice(0, 60));
  // The learner writes the solution's line in place of the todo!().
  const todo = shown.find((l) => l.includes('todo!('));
  log.solution = await solutionLine(listing, todo);
  const start = value.indexOf(todo.trim());
  await box.focus();
  await box.evaluate((b, [s, e]) => b.setSelectionRange(s, e), [start, start + todo.trim().length]);
  await page.keyboard.type(log.solution);
  await page.locator('.cbh-ti-run').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('.cbh-ti-verdict').length === 1
    && !document.querySelector('.cbh-ti-result').textContent.startsWith('Running'), null, { timeout: 5000 }).catch(() => {});
  await page.waitForFunction((n) => document.querySelector('.cbh-ti-verdict')?.textContent.startsWith('✓'), null, { timeout: 3000 }).catch(() => {});
  const after = await page.locator('.cbh-ti-verdict').innerText();
  check(after.startsWith('✓ It prints the exercise\'s goal'), `${at}: what the learner wrote prints the goal`, after.slice(0, 60));
  check(log.posts.length === 2 && log.posts.every((p) => p.code.includes('fn main')),
    `${at}: each run posts the whole program once`, `${log.posts.length} post(s)`);
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('cbh-writeit:')));
  check(kept.length === 1, `${at}: the draft is kept in localStorage`);
  await page.addScriptTag({ path: axePath });
  const { violations } = await page.evaluate(() => window.axe.run(document));
  check(violations.length === 0, `${at}: axe-core finds no violation with "Write it" open`,
    violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; '));
  check(log.offOrigin.length === 0, `${at}: nothing else leaves the origin`, log.offOrigin.join(', '));
  check(log.errors.length === 0, `${at}: no console error`, log.errors.join('; '));
  await context.close();
}

async function testsGoal() {
  const log = { offOrigin: [], errors: [], local: [], posts: [] };
  const { context, page } = await open(testsPage, 1280, false, log);
  const pre = page.locator('main .cbh-listing-label[data-exercise="tests"] + pre').first();
  await pre.locator('.cbh-typeit-button').click();
  const opened = await page.locator('.cbh-wi-input').waitFor({ timeout: 5000 }).then(() => true, () => false);
  check(opened, 'tests: "Write it" opens on an exercise whose goal is tests');
  if (opened) {
    check(await page.locator('.cbh-ti-run').count() === 0, 'tests: no "Run what you wrote" where the playground cannot run it');
    check((await page.locator('.cbh-wi .cbh-ti-hint').innerText()).includes('tests'), 'tests: it says its goal is the tests');
  }
  check(log.errors.length === 0, 'tests: no console error', log.errors.join('; '));
  await context.close();
}

if (!outputPage || !testsPage) {
  check(false, 'a book with an exercise of each goal (BOOK_SRC)', `${outputPage} ${testsPage}`);
} else {
  await outputGoal(1280, false);
  await outputGoal(375, true);
  await testsGoal();
}
await browser.close();
server.close();
console.log(failed ? `writeit: ${failed} problem(s)` : 'writeit: ok');
process.exit(failed ? 1 : 0);
