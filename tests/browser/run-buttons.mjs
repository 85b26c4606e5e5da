// Run buttons that tell the truth, as the reader sees them: on every chapter
// page (from SUMMARY.md), a Rust block marked noplayground has no Run button
// and says under it that it runs with cargo; every other Rust block has a
// Run button; output tagged may-differ says that the reader's may differ.
// `cargo test` (harness/src/runnable.rs) decides which blocks are which.
// Prints one line per page; exits 1 on any problem.
//
//   BOOK_SRC=src node tests/browser/run-buttons.mjs BOOK_HTML_DIR
import { chromium } from 'playwright-core';
import { serve, launchArgs } from './serve.mjs';
import { chapterPages } from './summary.mjs';

const [root = 'book/html'] = process.argv.slice(2);
const { server, base } = await serve(root);
const browser = await chromium.launch(launchArgs);
let problems = 0;
for (const pageName of await chapterPages()) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route((url) => !url.href.startsWith(base), (route) => route.abort());
  const page = await context.newPage();
  await page.goto(base + pageName);
  await page.waitForLoadState('load');
  const found = await page.evaluate(() => {
    const note = (pre) => getComputedStyle(pre, '::after').content;
    const out = [];
    for (const code of document.querySelectorAll('main pre > code.language-rust')) {
      const pre = code.parentElement;
      const run = !!pre.querySelector('.play-button');
      if (code.classList.contains('noplayground')) {
        if (run) out.push('a noplayground block has a Run button');
        if (!note(pre).includes('with cargo')) out.push(`a noplayground block does not say it runs with cargo (${note(pre)})`);
      } else if (!run) {
        out.push('a runnable block has no Run button');
      }
    }
    for (const code of document.querySelectorAll('main pre > code.may-differ')) {
      if (!note(code.parentElement).includes('may differ')) out.push('a may-differ block does not say so');
    }
    const counts = {
      run: document.querySelectorAll('main pre .play-button').length,
      local: document.querySelectorAll('main pre > code.noplayground').length,
      differ: document.querySelectorAll('main pre > code.may-differ').length,
    };
    return { out, counts };
  });
  problems += found.out.length;
  const { run, local, differ } = found.counts;
  console.log(`${found.out.length ? 'FAIL' : 'ok  '} ${pageName}: ${run} with Run, ${local} run with cargo, ${differ} may differ${found.out.length ? `: ${found.out.join('; ')}` : ''}`);
  await context.close();
}
await browser.close();
server.close();
process.exit(problems ? 1 : 0);
