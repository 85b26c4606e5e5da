// Verdicts live while writing, as an author sees them: `cargo xtask serve`
// on a copy of the tiny fixture book, the chapter open in Chromium, then a
// one-line edit to a listing. The terminal must print the verdict (the
// diff, and the command that blesses it), and the served page must reload
// with the edit and mark the output block that no longer matches, each
// within seconds. Undoing the edit must clear the mark. Prints what it saw
// and how long each step took; exits 1 on any problem.
//
//   node tests/browser/live.mjs XTASK_BINARY
//
// (.ci/run passes target/debug/xtask, built by `cargo test`.)
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { launchArgs } from './serve.mjs';

const [xtask] = process.argv.slice(2);
if (!xtask) {
  console.error('usage: node tests/browser/live.mjs XTASK_BINARY');
  process.exit(2);
}
const LIMIT_MS = 20_000;
const LISTING = 'listings/ch01-tiny/listing-01-01';
const PAGE = 'ch01-tiny.html';

const freePort = () => new Promise((ok) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

const book = await mkdtemp(join(tmpdir(), 'cbh-live-'));
await cp(new URL('../fixtures/tiny-book', import.meta.url).pathname, book, { recursive: true });
const port = await freePort();
const serveProcess = spawn(xtask, ['serve', '--book', book, '--port', String(port), '--hostname', '127.0.0.1'],
  { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
let terminal = '';
serveProcess.stdout.on('data', (d) => { terminal += d; });
serveProcess.stderr.on('data', (d) => { terminal += d; });
let exited = null;
serveProcess.on('exit', (code, signal) => { exited = `cargo xtask serve stopped (${signal ?? code})`; });

let problems = 0;
const fail = (what) => { problems += 1; console.log(`FAIL ${what}`); };
async function until(what, test, limit = LIMIT_MS) {
  const start = Date.now();
  while (Date.now() - start < limit) {
    if (exited) throw new Error(`${what}: ${exited}. The terminal showed:\n${terminal}`);
    if (await test()) return (Date.now() - start) / 1000;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`${what}: not within ${limit / 1000} s. The terminal showed:\n${terminal}`);
}

let browser;
try {
  // mdbook may be installed first, once: allow for that.
  await until('serve checks every listing and serves the book', async () => {
    if (!/ok {4}listings\/ch01-tiny\/listing-01-03/.test(terminal)) return false;
    try { return (await fetch(`http://127.0.0.1:${port}/${PAGE}`)).ok; } catch { return false; }
  }, 600_000);
  browser = await chromium.launch(launchArgs);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/${PAGE}`);
  const stale = () => page.evaluate(() => [...document.querySelectorAll('main pre.cbh-stale')]
    .map((pre) => ({ text: pre.innerText, note: getComputedStyle(pre, '::after').content })));
  await new Promise((ok) => setTimeout(ok, 2000));
  if ((await stale()).length) fail('a block is marked before any edit');

  const main = join(book, LISTING, 'src/main.rs');
  const before = await readFile(main, 'utf8');
  const checkedBefore = terminal.length;
  await writeFile(main, before.replace('let cars = 3;', 'let cars = 4;'));
  const verdictAfter = await until('the terminal prints the verdict', async () =>
    /FAIL {2}listings\/ch01-tiny\/listing-01-01/.test(terminal.slice(checkedBefore)));
  const said = terminal.slice(checkedBefore);
  for (const [what, text] of [['the expected line', 'a train of 3 cars'], ['the line printed', 'a train of 4 cars'],
    ['the command that blesses it', 'cargo xtask bless']]) {
    if (!said.includes(text)) fail(`the terminal's verdict does not show ${what} (${text}):\n${said}`);
  }
  const reloadAfter = await until('the page reloads with the edit', async () => {
    try { return (await page.innerText('main')).includes('let cars = 4;'); } catch { return false; }
  });
  const markAfter = await until('the page marks the stale output block', async () => {
    try { return (await stale()).length > 0; } catch { return false; }
  });
  const marked = await stale();
  if (marked.length !== 1) fail(`${marked.length} blocks marked, not the one output block`);
  if (!marked[0]?.text.includes('a train of 3 cars')) fail(`the marked block is not the output: ${marked[0]?.text}`);
  if (!marked[0]?.note.includes('no longer prints this')) fail(`the mark says: ${marked[0]?.note}`);
  await page.screenshot({ path: join(tmpdir(), 'cbh-live-marked.png'), fullPage: true });

  await writeFile(main, before);
  const clearedAfter = await until('undoing the edit clears the mark', async () => {
    try { return (await stale()).length === 0 && (await page.innerText('main')).includes('let cars = 3;'); } catch { return false; }
  });
  console.log(`verdict in the terminal after ${verdictAfter.toFixed(1)} s; page reloaded after ${reloadAfter.toFixed(1)} s; ` +
    `output block marked after ${markAfter.toFixed(1)} s; mark cleared ${clearedAfter.toFixed(1)} s after undoing`);
  console.log(`screenshot of the marked page: ${join(tmpdir(), 'cbh-live-marked.png')}`);
} catch (e) {
  fail(e.message);
} finally {
  await browser?.close();
  try { process.kill(-serveProcess.pid, 'SIGTERM'); } catch { /* gone */ }
  await rm(book, { recursive: true, force: true });
}
console.log(problems ? `live verdicts: ${problems} problem(s)` : 'live verdicts: ok');
process.exit(problems ? 1 : 0);
