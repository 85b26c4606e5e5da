// The page as a learner on a phone or a laptop reads it, on every chapter
// page (from SUMMARY.md), in every theme, at 375 and 1280 px, and in print:
//
// - every listing's block has its label just above it, and the label names
//   the listing its block shows (number from the directory, the file);
// - a block that shows part of a file starts at column 0;
// - Run, copy and show-hidden-lines are visible without hovering, and never
//   cover the code;
// - no line of code hides its end: a block that scrolls says so (a shadow
//   on its edge), and in print a long line wraps under its own indentation;
// - from 1024 px (and at 1080 px, beside the sidebar mdBook opens there)
//   the code column holds 100 columns, rustfmt's width, and no line of at
//   most 100 columns scrolls;
// - every language a block is in has its highlighting grammar once the
//   page has loaded (theme/highlight.js knows some by name only, and
//   theme/cbh-listings.js fetches their grammars: theme/tools/highlight.sh);
// - no figure is wider than its box, nor its smallest label under 11 px, at
//   320, 375 and 390 px (a phone gets a figure's narrow version) and up;
//   figures are numbered;
// - footnote back links are at least 24 x 24 px, markers at least 24 px tall;
// - the header's title is not cut off;
// - the last chapter has a way on: a next page, or a link to the first
//   page of SUMMARY.md (the course home).
//
// Prints one line per page and setting; exits 1 on any problem.
//
//   BOOK_SRC=src node tests/browser/reader.mjs BOOK_HTML_DIR
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve, launchArgs } from './serve.mjs';
import { chapterPages } from './summary.mjs';

const [root = 'book/html'] = process.argv.slice(2);
const THEMES = (process.env.ONLY_THEME ?? 'light rust coal navy ayu').split(' ');
const pages = process.env.ONLY_PAGE ? [process.env.ONLY_PAGE] : await chapterPages();
const { server, base } = await serve(root);
const browser = await chromium.launch(launchArgs);
let problems = 0;

// The smallest font-size in each figure's SVG, and its viewBox width.
const svgFacts = {};
async function svgFact(src) {
  if (!svgFacts[src]) {
    const svg = await readFile(join(root, src), 'utf8').catch(() => '');
    const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
    const viewBox = svg.match(/viewBox="[\d.]+ [\d.]+ ([\d.]+)/);
    svgFacts[src] = { smallest: sizes.length ? Math.min(...sizes) : null, width: viewBox ? Number(viewBox[1]) : null };
  }
  return svgFacts[src];
}

function inPage() {
  const found = [];
  const rect = (e) => e.getBoundingClientRect();
  // Labels.
  for (const label of document.querySelectorAll('main .cbh-listing-label')) {
    const pre = label.nextElementSibling;
    if (!pre || pre.tagName !== 'PRE') found.push(`label "${label.innerText}" is not just above a code block`);
    const dir = (label.dataset.listing || '').split('/').pop();
    const m = dir.match(/^listing-(\d+)-(\d+)/);
    const number = m ? `Listing ${Number(m[1])}-${Number(m[2])}` : dir;
    if (!label.innerText.startsWith(number)) found.push(`label "${label.innerText}" does not start with ${number} (${label.dataset.listing})`);
    if (!label.innerText.includes(label.dataset.file)) found.push(`label "${label.innerText}" does not name ${label.dataset.file}`);
    if (rect(label).height === 0 || getComputedStyle(label).visibility !== 'visible') found.push(`label "${label.innerText}" is not shown`);
  }
  for (const pre of document.querySelectorAll('main pre')) {
    const code = pre.querySelector(':scope > code');
    if (!code) continue;
    // Column 0 for a part of a file (hidden lines around it, or a Rust
    // excerpt, which its label calls so).
    const label = pre.previousElementSibling?.classList.contains('cbh-listing-label') ? pre.previousElementSibling : null;
    const excerpt = label && /\(an excerpt\)/.test(label.innerText) && code.classList.contains('language-rust');
    if (code.classList.contains('hide-boring') || excerpt) {
      const lines = code.innerText.split('\n').filter((l) => l.trim());
      const least = Math.min(...lines.map((l) => l.match(/^ */)[0].length));
      if (least > 0) found.push(`a block that shows part of a file is indented ${least} spaces: "${lines[0]}"`);
    }
    // Buttons: shown, and above the code, not on it.
    const codeTop = rect(code).top;
    for (const button of pre.querySelectorAll(':scope > .buttons button')) {
      if (button.hidden) continue;
      const style = getComputedStyle(button.parentElement);
      if (Number(style.opacity) < 1 || style.visibility !== 'visible') {
        found.push(`the "${button.title}" button is not shown without hovering (opacity ${style.opacity})`);
      }
      if (rect(button).bottom > codeTop + 1) {
        found.push(`the "${button.title}" button covers the code (${Math.round(rect(button).bottom - codeTop)} px)`);
      }
    }
    // Long lines: the end is reachable and the block says it scrolls.
    if (code.scrollWidth > code.clientWidth + 1) {
      const style = getComputedStyle(code);
      if (!['auto', 'scroll'].includes(style.overflowX)) found.push('a block with a long line cannot scroll');
      if (!code.classList.contains('cbh-overflows') || style.boxShadow === 'none') found.push(`a block with a long line does not show that it scrolls: "${code.innerText.split('\n')[0]}"`);
    }
  }
  // Code that fits: from 1024 px, 100 columns, and no line of at most 100
  // columns scrolls.
  if (innerWidth >= 1024) {
    for (const code of document.querySelectorAll('main pre > code')) {
      if (!code.getClientRects().length) continue;
      const style = getComputedStyle(code);
      const room = code.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const probe = document.createElement('span');
      probe.textContent = '0'.repeat(100);
      code.append(probe);
      const column = probe.getBoundingClientRect().width / 100;
      probe.remove();
      if (100 * column > room + 0.5) found.push(`the code column holds ${Math.floor(room / column)} columns at ${innerWidth} px, not 100 (${style.fontSize})`);
      const longest = Math.max(...code.innerText.split('\n').map((l) => l.length));
      if (longest <= 100 && code.scrollWidth > code.clientWidth + 1) found.push(`a line of ${longest} columns does not fit at ${innerWidth} px: "${code.innerText.split('\n').find((l) => l.length === longest).trim().slice(0, 50)}"`);
    }
  }
  // Nothing else runs off the page.
  if (document.scrollingElement.scrollWidth > window.innerWidth + 1) found.push(`the page scrolls sideways (${document.scrollingElement.scrollWidth} px wide)`);
  // Notes: tap targets.
  for (const back of document.querySelectorAll('main .footnote-definition a[href^="#fr-"]')) {
    const r = rect(back);
    if (r.width < 24 || r.height < 24) found.push(`a footnote back link is ${Math.round(r.width)}x${Math.round(r.height)} px, under 24x24`);
  }
  for (const marker of document.querySelectorAll('main .footnote-reference a')) {
    const r = rect(marker);
    if (r.height < 24 || r.width < 16) found.push(`a footnote marker is ${Math.round(r.width)}x${Math.round(r.height)} px`);
  }
  // The header's title.
  const title = document.querySelector('.menu-title');
  if (title && title.scrollWidth > title.clientWidth + 1) found.push(`the header's title is cut off: "${title.innerText}"`);
  // Figures: numbered, and their images' sizes (checked outside).
  const figures = [...document.querySelectorAll('main figure')].map((f, i) => {
    const img = f.querySelector('img');
    // The version the browser chose (a narrow one on a phone), as a path in the book.
    const chosen = img ? new URL(img.currentSrc || img.src, document.baseURI) : null;
    const src = chosen ? decodeURI(chosen.pathname).replace(/^\//, '') : null;
    if (img && (f.scrollWidth > f.clientWidth + 1 || rect(img).width > rect(f).width + 0.5)) {
      found.push(`figure ${i + 1} is wider than its box (${Math.round(rect(img).width)} px in ${Math.round(f.clientWidth)} px)`);
    }
    return { src, width: img ? rect(img).width : 0, caption: f.querySelector('figcaption')?.innerText ?? '' };
  });
  return { found, figures };
}

async function checkPage(page, pageName, setting) {
  const { found, figures } = await page.evaluate(inPage);
  for (const [i, figure] of figures.entries()) {
    if (!/^Figure \d+(-\d+)?\. /.test(figure.caption)) found.push(`figure ${i + 1} has no number: "${figure.caption.slice(0, 40)}"`);
    if (!figure.src) continue;
    const { smallest, width } = await svgFact(figure.src);
    if (smallest && width) {
      const px = smallest * figure.width / width;
      if (px < 11) found.push(`figure ${i + 1}'s smallest label shows at ${px.toFixed(1)} px, under 11`);
    }
  }
  problems += found.length;
  console.log(`${found.length ? 'FAIL' : 'ok  '} ${pageName} ${setting}${found.length ? ':\n    ' + found.join('\n    ') : ''}`);
}

const last = pages[pages.length - 1];
for (const pageName of pages) {
  for (const theme of THEMES) {
    // Phones from 320 px up, in one theme (a figure's width is the same in all).
    const phones = theme === THEMES[0] ? [320, 390] : [];
    // ONLY_WIDTH=375 checks just that width (self-test.mjs uses it).
    const widths = [...phones, 375, 1024, 1080, 1280]
      .filter((w) => !process.env.ONLY_WIDTH || w === Number(process.env.ONLY_WIDTH));
    for (const width of widths) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, hasTouch: width < 500, isMobile: false });
      await context.route((url) => !url.href.startsWith(base), (route) => route.abort());
      await context.addInitScript((t) => localStorage.setItem('mdbook-theme', t), theme);
      const page = await context.newPage();
      await page.goto(base + pageName);
      await page.waitForLoadState('load');
      await checkPage(page, pageName, `${theme} ${width}px`);
      await context.close();
    }
  }
  // Highlighting: every language shown has its grammar once the page has
  // loaded, not just its name. Then print: long lines wrap under their own
  // indentation.
  const context = await browser.newContext({ viewport: { width: 800, height: 1100 } });
  await context.route((url) => !url.href.startsWith(base), (route) => route.abort());
  const page = await context.newPage();
  await page.goto(base + pageName);
  await page.waitForLoadState('networkidle');
  const named = await page.evaluate(() => [...new Set([...document.querySelectorAll('main pre > code')]
    .map((c) => (c.className.match(/language-(\S+)/) ?? [])[1]).filter(Boolean))]
    .filter((l) => window.hljs?.getLanguage(l)?.cbhLater));
  problems += named.length;
  console.log(`${named.length ? 'FAIL' : 'ok  '} ${pageName} highlighting${named.length ? `: no grammar came for ${named.join(', ')} (the blocks stay plain)` : ''}`);
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => {
    const found = [];
    for (const code of document.querySelectorAll('main pre > code')) {
      if (code.scrollWidth > code.clientWidth + 1) found.push(`a line runs off the page: "${code.innerText.split('\n')[0]}"`);
      const ch = (() => {
        const probe = document.createElement('span');
        probe.textContent = 'x'.repeat(10);
        code.append(probe);
        const w = probe.getBoundingClientRect().width / 10;
        probe.remove();
        return w;
      })();
      for (const line of code.querySelectorAll('.cbh-line')) {
        const range = document.createRange();
        range.selectNodeContents(line);
        const rows = [...range.getClientRects()].filter((r) => r.width > 0);
        const tops = [...new Set(rows.map((r) => Math.round(r.top)))];
        if (tops.length < 2) continue;
        const start = line.getBoundingClientRect().left;
        const indent = Number(getComputedStyle(line).getPropertyValue('--cbh-indent')) || 0;
        const later = rows.filter((r) => Math.round(r.top) !== tops[0]);
        const least = Math.min(...later.map((r) => r.left)) - start;
        if (least < (indent + 1) * ch) found.push(`a wrapped line goes back to column ${Math.round(least / ch)}, left of its indentation (${indent}): "${line.textContent.trim().slice(0, 40)}"`);
      }
    }
    if (document.querySelector('main pre > code') && !document.querySelector('main pre > code .cbh-line')) found.push('no code line is marked for wrapping (theme/cbh-listings.js)');
    return found;
  });
  problems += printed.length;
  console.log(`${printed.length ? 'FAIL' : 'ok  '} ${pageName} print${printed.length ? ':\n    ' + printed.join('\n    ') : ''}`);
  await context.close();
}

// The end of the course so far: a way on.
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route((url) => !url.href.startsWith(base), (route) => route.abort());
  const page = await context.newPage();
  await page.goto(base + last);
  const wayOn = await page.evaluate((first) => {
    const next = document.querySelector('.nav-chapters.next, a[rel="next"]');
    const home = [...document.querySelectorAll('main a')].find((a) => (a.getAttribute('href') ?? '').split('#')[0] === first);
    return { next: !!next, home: !!home };
  }, pages[0]);
  const ok = wayOn.next || wayOn.home;
  if (!ok) problems += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${last}: the last chapter has a way on (${wayOn.next ? 'a next page' : wayOn.home ? 'a link to the first page' : 'none'})`);
  await context.close();
}

await browser.close();
server.close();
console.log(problems ? `reader: ${problems} problem(s)` : 'reader: ok');
process.exit(problems ? 1 : 0);
