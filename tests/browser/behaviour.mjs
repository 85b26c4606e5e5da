// What readers do with a chapter page, in headless Chromium, with only
// 127.0.0.1 reachable and the Rust Playground mocked (page.route): no request
// leaves the origin on load; Run posts to the playground and shows its answer;
// copy, hidden lines, search, theme, sidebar and skip link work from the
// keyboard; Run and copy are reached with Tab; print.html renders. Prints one
// line per check; exits 1 if any fails.
//
//   node tests/browser/behaviour.mjs BOOK_HTML_DIR
//
// BEHAVIOUR_PART=4,5 runs only those numbered parts (self-test.mjs runs the
// part a breakage must fail, not all nine).
import { chromium } from 'playwright-core';
import { serve, launchArgs, openLogged } from './serve.mjs';
import { firstListingPage } from './summary.mjs';

const [root = 'book'] = process.argv.slice(2);
// The first chapter (in SUMMARY.md's order) with a listing to run.
const chapter = await firstListingPage(root);
const { server, base } = await serve(root);
const browser = await chromium.launch(launchArgs);
let failed = 0;
const parts = process.env.BEHAVIOUR_PART?.split(',').map(Number);
const part = (n) => !parts || parts.includes(n);
const check = (ok, what, detail = '') => {
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
};

async function open(pageName = chapter, width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const log = { offOrigin: [], playground: [], errors: [], local: [] };
  await context.route((url) => !url.href.startsWith(base), (route) => {
    const req = route.request();
    log.offOrigin.push(`${req.method()} ${req.url()}`);
    if (req.url().startsWith('https://play.rust-lang.org/')) {
      log.playground.push({ method: req.method(), url: req.url(), body: req.postData() });
      return route.fulfill({ contentType: 'application/json', headers: { 'access-control-allow-origin': '*' },
        body: JSON.stringify(req.url().endsWith('/meta/crates') ? { crates: [] }
          : { result: 'summed 1000000 integers\ntotal = 500000500000\n', success: true }) });
    }
    return route.abort('internetdisconnected');
  });
  const page = await openLogged(context, base, pageName, log);
  return { context, page, log };
}
const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return { tag: e.tagName, id: e.id, cls: e.className, title: e.title || e.getAttribute('aria-label') || '',
    text: e.textContent.trim().slice(0, 30), opacity: Number(getComputedStyle(e.closest('.buttons') ?? e).opacity),
    inContent: !!e.closest('#mdbook-content') };
});

// 1. Load: nothing leaves the origin, no console errors, search data not yet loaded.
if (part(1)) try {
  const { context, page, log } = await open();
  await page.waitForTimeout(1000);
  check(log.offOrigin.length === 0, 'load: no request leaves the origin', log.offOrigin.join(', '));
  check(log.errors.length === 0, 'load: no console errors', log.errors.join(' | '));
  check(!log.local.some((u) => u.startsWith('searchindex')), 'load: search index not fetched until search is opened');
  const listings = await page.locator('pre.playground').count();
  const runnable = await page.locator('pre.playground .play-button:not([hidden]):not(.hidden)').count();
  check(listings > 0 && runnable === listings, 'load: Run offered on every listing, with no network', `${runnable} of ${listings}`);

  // 2. Tab order: skip link first; Run and copy reachable and visible when focused.
  await page.keyboard.press('Tab');
  const first = await focused(page);
  check(/skip/i.test(first.text), 'Tab: first stop is "Skip to content"', first.text || first.title);
  const stops = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    await page.waitForTimeout(150); // mdBook fades listing buttons in over 0.1 s
    stops.push(await focused(page));
  }
  const run = stops.find((s) => /Run this code/.test(s.title));
  const copy = stops.find((s) => /Copy to clipboard/.test(s.title));
  const eye = stops.find((s) => /hidden lines/.test(s.title));
  check(!!run && run.opacity === 1, 'Tab: reaches Run, shown when focused', run ? `opacity ${run.opacity}` : 'never reached');
  check(!!copy && copy.opacity === 1, 'Tab: reaches copy, shown when focused', copy ? `opacity ${copy.opacity}` : 'never reached');
  check(!!eye, 'Tab: reaches "Show hidden lines"');
  check(stops.some((s) => /Toggle Table of Contents/.test(s.title)), 'Tab: reaches the sidebar toggle');
  await context.close();
} catch (e) {
  check(false, '1. Load', e.message.split('\n')[0]);
}

// 3. Skip link moves focus into the content.
if (part(3)) try {
  const { context, page } = await open();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const f = await focused(page);
  check(f.inContent, 'skip link: next Tab is inside the content', `${f.tag} ${f.text || f.title}`);
  await context.close();
} catch (e) {
  check(false, '3. Skip link moves focus into the content.', e.message.split('\n')[0]);
}

// 4. Run from the keyboard: one POST to the playground, its output shown.
if (part(4)) try {
  const { context, page, log } = await open();
  await page.locator('pre.playground .play-button').first().focus();
  await page.keyboard.press('Enter');
  const result = page.locator('pre.playground').first().locator('code.result');
  await result.filter({ hasText: '500000500000' }).waitFor({ timeout: 5000 }).catch(() => {});
  const posts = log.playground.filter((p) => p.method === 'POST');
  check(posts.length === 1 && /\/(evaluate\.json|execute)$/.test(posts[0].url),
    'Run: posts to the playground once', posts.map((p) => p.url).join(', '));
  const body = JSON.parse(posts[0]?.body ?? '{}');
  check(body.edition === '2024' && /fn main/.test(body.code ?? ''), 'Run: sends the listing, edition 2024', `edition ${body.edition}`);
  // Waited for above: a result not there by now is not coming.
  const shown = await result.textContent({ timeout: 1000 }).catch(() => '');
  check(/500000500000/.test(shown), 'Run: shows the playground\'s output');
  check(log.offOrigin.every((u) => u.includes('play.rust-lang.org/')), 'Run: nothing else left the origin', log.offOrigin.join(', '));
  check(log.errors.length === 0, 'Run: no console errors', log.errors.join(' | '));
  await context.close();
} catch (e) {
  check(false, '4. Run from the keyboard', e.message.split('\n')[0]);
}

// 5. Copy from the keyboard; hidden-lines toggle.
if (part(5)) try {
  const { context, page, log } = await open();
  const pre = page.locator('pre.playground').first();
  await pre.locator('.clip-button').focus();
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const shown = await pre.locator('code').first().evaluate((c) => c.innerText);
  // A block that shows part of a file copies the whole file: every line
  // shown, and the hidden ones (fn main) around them.
  const wholeFile = /fn main\(\) \{/.test(copied) && shown.split('\n').every((l) => copied.includes(l.trim()));
  check(copied.trim().length > 0 && (copied.trim() === shown.trim() || wholeFile),
    'copy: clipboard holds the listing as shown, or the whole file it is part of', `${copied.length} chars`);
  if (!wholeFile && copied.trim() !== shown.trim()) console.log(JSON.stringify({ copied, shown }));
  check(/Copied!/.test(await pre.locator('.clip-button').textContent()), 'copy: says "Copied!"');
  const code = pre.locator('code').first();
  const eye = pre.locator('button[title="Show hidden lines"]');
  const visibleText = () => code.evaluate((c) => c.innerText);
  const hidden = !/fn main/.test(await visibleText());
  await eye.focus();
  await page.keyboard.press('Enter');
  const shownAfter = /fn main/.test(await visibleText());
  await page.keyboard.press('Enter');
  const hiddenAgain = !/fn main/.test(await visibleText());
  check(hidden && shownAfter && hiddenAgain, 'hidden lines: the toggle shows `fn main` and hides it again, from the keyboard');
  check(log.errors.length === 0, 'copy/hidden lines: no console errors', log.errors.join(' | '));
  await context.close();
} catch (e) {
  check(false, '5. Copy from the keyboard; hidden-lines toggle.', e.message.split('\n')[0]);
}

// 6. Search from the keyboard: "s" opens, results, Escape closes; the button works too.
if (part(6)) try {
  const { context, page, log } = await open();
  await page.keyboard.press('s');
  const inInput = await page.evaluate(() => document.activeElement.id === 'mdbook-searchbar');
  // A word of the chapter's title, which search must find in the chapter.
  const word = await page.evaluate(() => document.querySelector('main h1').textContent
    .split(/\W+/).sort((a, b) => b.length - a.length)[0].toLowerCase());
  await page.keyboard.type(word);
  const n = await page.locator('#mdbook-searchresults li').count().then(async (c) => c || (await page.waitForSelector('#mdbook-searchresults li', { timeout: 5000 }).catch(() => null), page.locator('#mdbook-searchresults li').count()));
  check(inInput && n > 0, 'search: "s" opens it, typing finds results', `${n} results`);
  const hrefs = await page.locator('#mdbook-searchresults li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  check(hrefs.some((h) => h.startsWith(chapter)), `search: a word of the chapter's title ("${word}") finds the chapter`, hrefs.slice(0, 3).join(', '));
  // Results read as prose: no note's number in a teaser, no breadcrumb twice.
  // Searched again for the word just before the page's first note marker,
  // whose teaser would carry the marker's number.
  const noted = await page.evaluate(() => {
    const sup = document.querySelector('main .footnote-reference');
    if (!sup) return null;
    const before = sup.previousSibling?.textContent ?? '';
    return before.split(/[^A-Za-z]+/).filter((w) => w.length > 3).pop()?.toLowerCase() ?? null;
  });
  if (noted) {
    // Typed, as a reader would: mdBook searches on keyup.
    await page.fill('#mdbook-searchbar', '');
    await page.focus('#mdbook-searchbar');
    await page.keyboard.type(noted);
    await page.waitForTimeout(500);
  }
  const shown = await page.locator('#mdbook-searchresults li').evaluateAll((lis) => lis.map((li) => ({
    crumbs: li.querySelector('a')?.textContent ?? '', teaser: li.querySelector('.teaser')?.textContent ?? '' })));
  const stray = shown.filter((r) => /[.,;:!?)\u2019\u201d"] \d{1,3}(\s|$)/.test(r.teaser));
  check(stray.length === 0 && (!noted || shown.some((r) => r.teaser.toLowerCase().includes(noted))),
    `search: no note numbers in the teasers (searched "${noted}", the word before a note)`, stray.map((r) => r.teaser.slice(0, 80)).join(' | '));
  const twice = shown.filter((r) => r.crumbs.split(' » ').some((p, i, all) => i > 0 && p === all[i - 1]));
  check(twice.length === 0, 'search: no breadcrumb twice', twice.map((r) => r.crumbs).join(' | '));
  await page.keyboard.press('ArrowDown');
  const onResult = await page.evaluate(() => !!document.querySelector('#mdbook-searchresults li.focus'));
  check(onResult, 'search: ArrowDown moves onto the results');
  await page.keyboard.press('Escape');
  check(await page.locator('#mdbook-search-wrapper').isHidden(), 'search: Escape closes it');
  await page.locator('#mdbook-search-toggle').focus();
  await page.keyboard.press('Enter');
  check(await page.locator('#mdbook-search-wrapper').isVisible(), 'search: Enter on the search button opens it');
  check(log.offOrigin.length === 0 && log.errors.length === 0, 'search: no off-origin requests, no console errors', log.errors.join(' | '));
  await context.close();
} catch (e) {
  check(false, '6. Search from the keyboard', e.message.split('\n')[0]);
}

// 7. Theme from the keyboard.
if (part(7)) try {
  const { context, page } = await open();
  await page.locator('#mdbook-theme-toggle').focus();
  await page.keyboard.press('Enter');
  const inMenu = await page.evaluate(() => document.activeElement.id);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const target = await page.evaluate(() => document.activeElement.id.replace('mdbook-theme-', ''));
  await page.keyboard.press('Enter');
  const cls = await page.evaluate(() => document.documentElement.className);
  await page.keyboard.press('Escape');
  const closed = await page.locator('#mdbook-theme-list').isHidden();
  check(inMenu === 'mdbook-theme-light' && cls.split(' ').includes(target) && closed,
    'theme: Enter opens the menu, arrows + Enter switch theme, Escape closes', `now ${target}`);
  await context.close();
} catch (e) {
  check(false, '7. Theme from the keyboard.', e.message.split('\n')[0]);
}

// 8. Sidebar toggle from the keyboard (phone width: starts closed).
if (part(8)) try {
  const { context, page } = await open(chapter, 375);
  const toggle = page.locator('#mdbook-menu-bar .left-buttons > :is(button, label):visible').first();
  await toggle.focus();
  const before = await page.evaluate(() => document.documentElement.classList.contains('sidebar-visible'));
  await page.keyboard.press('Enter');
  await page.waitForTimeout(500);
  const after = await page.evaluate(() => document.documentElement.classList.contains('sidebar-visible'));
  const expanded = await toggle.getAttribute('aria-expanded');
  const visible = await page.locator('#mdbook-sidebar a').first().isVisible();
  check(!before && after && expanded === 'true' && visible, 'sidebar: Enter on the toggle opens it', `aria-expanded=${expanded}`);
  await context.close();
} catch (e) {
  check(false, '8. Sidebar toggle from the keyboard (phone width', e.message.split('\n')[0]);
}

// 9. Print: the print page has the chapter, highlighted, and calls window.print().
if (part(9)) try {
  const context = await browser.newContext();
  await context.route((url) => !url.href.startsWith(base), (r) => r.abort());
  await context.addInitScript(() => { window.print = () => { window.__printed = true; }; });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + 'print.html', { waitUntil: 'load' });
  await page.waitForTimeout(500);
  const ok = await page.evaluate(() => window.__printed === true
    && document.querySelectorAll('main h1').length >= 2
    && document.querySelectorAll('code.hljs .hljs-keyword').length > 0);
  check(ok && errors.length === 0, 'print: print.html renders both pages, highlighted, calls print()', errors.join(' | '));
  await context.close();
} catch (e) {
  check(false, '9. Print', e.message.split('\n')[0]);
}

await browser.close();
server.close();
console.log(failed ? `${failed} check(s) failed` : 'all checks passed');
process.exit(failed ? 1 : 0);
