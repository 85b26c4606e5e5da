// Every page of the built book, in each of mdBook's five themes, in headless
// Chromium with only 127.0.0.1 reachable: no request leaves the page's
// origin on load, nothing is logged as a console error or thrown, the
// theme's Content-Security-Policy is there, and axe-core finds no violation. Chapter pages are also checked in the states
// a reader puts them in: search open with results, theme menu open, keyboard
// help open, sidebar open at phone width, a listing run (playground
// mocked) with its hidden lines shown, and the typing mode open at 1280 and
// 375 px (a listing typed to the end, with its summary and "Run what you
// typed" answered, and another with a slip standing). Prints one line per page and state;
// exits 1 on any problem.
//
//   node tests/browser/pages.mjs BOOK_HTML_DIR
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { readdir } from 'node:fs/promises';
import { serve, launchArgs } from './serve.mjs';
import { inOrder } from './pool.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const [root = 'book/html'] = process.argv.slice(2);
// ONLY_THEME=light checks just that theme (self-test.mjs uses it).
const themes = ['light', 'rust', 'coal', 'navy', 'ayu'].filter((t) => !process.env.ONLY_THEME || t === process.env.ONLY_THEME);
// ONLY_PAGE=name.html checks just that page (self-test.mjs uses it).
const pages = (await readdir(root)).filter((f) => f.endsWith('.html'))
  .filter((f) => !process.env.ONLY_PAGE || f === process.env.ONLY_PAGE).sort();
// Pages that show chapter text (not the 404 page, the printable page or the
// sidebar's no-script fallback) are also checked in the reader's states.
const chapters = pages.filter((p) => !['404.html', 'print.html', 'toc.html'].includes(p));
const { server, base } = await serve(root);
const browser = await chromium.launch(launchArgs);
// What every page's Content-Security-Policy must say, directive by directive.
const CSP_MUST_SAY = ["default-src 'self'", "object-src 'none'", "frame-src 'none'",
  "form-action 'none'", "base-uri 'self'", "connect-src 'self' https://play.rust-lang.org"];

async function check(pageName, theme, width, state) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const offOrigin = [];
  await context.route((url) => !url.href.startsWith(base), (route) => {
    const url = route.request().url();
    if ((state === 'run' || state === 'typing') && url.startsWith('https://play.rust-lang.org/')) {
      return route.fulfill({ contentType: 'application/json', headers: { 'access-control-allow-origin': '*' },
        body: JSON.stringify({ result: 'mocked playground output\n', success: true }) });
    }
    offOrigin.push(`${route.request().method()} ${url}`);
    return route.abort('internetdisconnected');
  });
  await context.addInitScript((t) => localStorage.setItem('mdbook-theme', t), theme);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (r.url().startsWith(base)) errors.push(`failed to load ${r.url().slice(base.length)}`);
  });
  page.on('response', (r) => {
    if (r.url().startsWith(base) && r.status() >= 400) errors.push(`${r.status()} for ${r.url().slice(base.length)}`);
  });
  await page.goto(base + pageName, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  if (state === 'search') {
    await page.keyboard.press('s');
    await page.keyboard.type('rust');
    await page.waitForSelector('#mdbook-searchresults li', { timeout: 5000 });
  } else if (state === 'themes') {
    await page.click('#mdbook-theme-toggle');
  } else if (state === 'sidebar') {
    await page.click('#mdbook-menu-bar .left-buttons > :first-child');
    await page.waitForTimeout(600);
  } else if (state === 'help') {
    await page.keyboard.press('?');
  } else if (state === 'run') {
    const pre = page.locator('pre.playground').first();
    await pre.locator('.play-button').click();
    await pre.locator('code.result').filter({ hasText: 'mocked' }).waitFor({ timeout: 5000 });
    const eye = pre.locator('button[title="Show hidden lines"]');
    if (await eye.count()) await eye.click();
    await pre.locator('.play-button').focus(); // shows the listing's buttons
  } else if (state === 'predicting') {
    // "Predict it" open on the first checked output, a prediction checked
    // (one line wrong, so both marks show), as axe must see it.
    const pre = page.locator('main .cbh-output-of + pre').first();
    const lines = await pre.locator(':scope > code').evaluate((c) => c.innerText.replace(/\s+$/, '').split('\n'));
    await pre.locator('.cbh-predict-button').click();
    await page.locator('.cbh-pr-input').waitFor({ timeout: 5000 });
    await page.keyboard.type(['not what it prints', ...lines.slice(1)].join('\n'));
    await page.locator('.cbh-pr-check').click();
    await page.locator('.cbh-pr-summary').waitFor({ timeout: 5000 });
  } else if (state === 'typing') {
    const blocks = page.locator('main .cbh-listing-label:not([data-exercise]) + pre');
    const n = await blocks.count();
    const first = blocks.first();
    const lines = await first.locator(':scope > code').evaluate((c) => c.innerText.replace(/\s+$/, '').split('\n'));
    await first.locator('.cbh-typeit-button').click();
    await first.locator('.cbh-ti-input').waitFor({ timeout: 5000 });
    for (const [i, line] of lines.entries()) {
      await page.keyboard.type(line.trim());
      if (i < lines.length - 1) await page.keyboard.press('Enter');
    }
    await first.locator('.cbh-ti-summary:not(:empty)').waitFor({ timeout: 5000 });
    if (await first.locator('.cbh-ti-run').count()) {
      await first.locator('.cbh-ti-run').click();
      await first.locator('.cbh-ti-verdict').waitFor({ timeout: 5000 });
    }
    if (n > 1) {
      const last = blocks.nth(n - 1);
      await last.locator('.cbh-typeit-button').click();
      await last.locator('.cbh-ti-input').waitFor({ timeout: 5000 });
      await page.keyboard.type('le#');
      await last.locator('.cbh-ti-slip').waitFor({ timeout: 5000 });
    }
  }
  // toc.html is not a page readers open: it is what the sidebar's
  // <noscript> iframe shows when JavaScript is off, the same list of
  // chapters that every page's sidebar holds (and that axe checks there).
  // As a document of its own it has no title, heading or landmark, so axe
  // is not run on it; the other checks are.
  let violations = [];
  if (pageName !== 'toc.html') {
    await page.addScriptTag({ path: axePath });
    ({ violations } = await page.evaluate(() => window.axe.run(document)));
  }
  // The theme's Content-Security-Policy (theme/head.hbs), the second wall
  // behind the active-content check: present, and saying what it must.
  const policy = await page.evaluate(() =>
    document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? null);
  const missing = policy === null ? ['the whole policy']
    : CSP_MUST_SAY.filter((d) => !policy.split(';').map((p) => p.trim()).includes(d));
  const found = [
    ...missing.map((d) => `Content-Security-Policy does not say: ${d}`),
    ...offOrigin.map((r) => `request leaves the origin: ${r}`),
    ...errors,
    ...violations.flatMap((v) => v.nodes.map((n) =>
      `axe ${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)}`)),
  ];
  await context.close();
  return [`${found.length ? 'FAIL' : 'ok  '} ${pageName} ${theme} ${width}px ${state}`, found];
}

// Every check a job, in the order their lines are printed.
const checks = [];
// ONLY_STATE=typing checks just that state (self-test.mjs uses it).
const queue = (...args) => {
  if (!process.env.ONLY_STATE || args[3] === process.env.ONLY_STATE) checks.push(() => check(...args));
};
for (const pageName of pages) {
  for (const theme of themes) {
    queue(pageName, theme, 1280, 'load');
    if (!chapters.includes(pageName)) continue;
    queue(pageName, theme, 375, 'load');
  }
}
const withListings = [];
for (const pageName of chapters) {
  const context = await browser.newContext();
  await context.route((url) => !url.href.startsWith(base), (r) => r.abort());
  const page = await context.newPage();
  await page.goto(base + pageName);
  if (await page.locator('pre.playground').count()) withListings.push(pageName);
  await context.close();
}
for (const theme of themes) {
  const pageName = withListings[0] ?? chapters[0];
  for (const state of ['search', 'themes', 'help']) queue(pageName, theme, 1280, state);
  queue(pageName, theme, 375, 'sidebar');
  for (const p of withListings) queue(p, theme, 1280, 'run');
  for (const p of withListings) {
    queue(p, theme, 1280, 'typing');
    queue(p, theme, 375, 'typing');
    queue(p, theme, 1280, 'predicting');
    queue(p, theme, 375, 'predicting');
  }
}
// Each page waits on its loads more than it computes: PAGE_JOBS pages (in
// their own contexts) at once, default 4; their lines printed in order.
let problems = 0;
await inOrder(checks, ([line, found]) => {
  problems += found.length;
  console.log(line);
  for (const f of found) console.log(`       ${f}`);
}, Math.max(1, Number(process.env.PAGE_JOBS) || 4));
await browser.close();
server.close();
console.log(problems ? `${problems} problem(s)` : 'every page: its Content-Security-Policy, no off-origin request, no console error, no axe violation');
process.exit(problems ? 1 : 0);
