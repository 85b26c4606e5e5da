// Sees each browser check fail: breaks a copy of the built book in one way
// at a time and runs the check that must catch it, which must exit 1 and
// say what broke. Exits 1 if a check let a breakage through.
//
//   node tests/browser/self-test.mjs BOOK_HTML_DIR
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstListingPage } from './summary.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [root = 'book/html'] = process.argv.slice(2);
const chapter = await firstListingPage(root);

const breakages = [
  { what: 'a script tag that loads from another origin', script: 'pages.mjs',
    edit: (h) => h.replace('</head>', '<script src="https://static.example.org/tracker.js"></script></head>'),
    says: 'request leaves the origin: GET https://static.example.org/tracker.js' },
  { what: 'a console error on load', script: 'pages.mjs',
    edit: (h) => h.replace('</head>', '<script>console.error("broken on purpose")</script></head>'),
    says: 'console error: broken on purpose' },
  { what: 'an image without alt text', script: 'pages.mjs',
    edit: (h) => h.replace(/(<img [^>]*?)alt="[^"]*"/, '$1'), says: 'axe image-alt' },
  { what: 'a Run button that does not post', script: 'behaviour.mjs',
    edit: (h) => h.replace('</head>', '<script>window.fetch = () => new Promise(() => {});</script></head>'),
    says: 'FAIL Run: posts to the playground once' },
  { what: 'a copy button that copies nothing', script: 'behaviour.mjs',
    edit: (h) => h.replace('</body>', '<script>navigator.clipboard.writeText = () => Promise.resolve();</script></body>'),
    says: 'FAIL copy: clipboard holds the listing as shown' },
  { what: 'a Run button on a block the playground cannot run', script: 'run-buttons.mjs',
    edit: (h) => h.replace('<code class="language-rust', '<code class="noplayground language-rust'),
    says: 'FAIL' },
  { what: 'hidden lines that no longer hide', script: 'behaviour.mjs',
    edit: (h) => h.replace('</head>', '<style>.boring { display: inline !important; }</style></head>'),
    says: 'FAIL hidden lines' },
  { what: 'search teasers with the notes\' numbers in them', script: 'behaviour.mjs',
    edit: (h) => h.replace(/<script src="[^"]*cbh-search[^"]*\.js"><\/script>/, ''),
    says: 'FAIL search: no note numbers in the teasers' },
  { what: 'a label that names the wrong file', script: 'reader.mjs',
    edit: (h) => h.replace('<code class="cbh-listing-file">src/main.rs</code>', '<code class="cbh-listing-file">src/lib.rs</code>'),
    says: 'does not name src/main.rs' },
  { what: 'buttons shown only under the pointer', script: 'reader.mjs',
    edit: (h) => h.replace('</head>', '<style>main pre > .buttons { opacity: 0 !important; }</style></head>'),
    says: 'is not shown without hovering' },
  { what: 'buttons on top of the code', script: 'reader.mjs',
    edit: (h) => h.replace('</head>', '<style>main pre { padding-top: 0.5em !important; }</style></head>'),
    says: 'covers the code' },
  { what: 'a long line cut off in print', script: 'reader.mjs',
    edit: (h) => h.replace('</head>', '<style>@media print { main pre > code .cbh-line { display: inline !important; } main pre > code { white-space: pre !important; overflow: hidden !important; } }</style></head>'),
    says: 'a line runs off the page' },
  { what: 'a footnote back link too small to tap', script: 'reader.mjs',
    edit: (h) => h.replace('</head>', '<style>.footnote-definition a[href^="#fr-"] { display: inline !important; min-width: 0 !important; min-height: 0 !important; }</style></head>'),
    says: 'a footnote back link is' },
  { what: 'figure labels shrunk on a phone', script: 'reader.mjs',
    edit: (h) => h.replace('</head>', '<style>.cbh-figure img { min-width: 0 !important; }</style></head>'),
    says: 'smallest label shows at' },
];

let letThrough = 0;
for (const b of breakages) {
  const dir = await mkdtemp(join(tmpdir(), 'broken-page-'));
  await cp(root, dir, { recursive: true });
  const page = join(dir, chapter);
  const html = await readFile(page, 'utf8');
  const broken = b.edit(html);
  if (broken === html) throw new Error(`could not break the page: ${b.what}`);
  await writeFile(page, broken);
  const run = spawnSync(process.execPath, [join(here, b.script), dir], {
    encoding: 'utf8', env: { ...process.env, ONLY_PAGE: chapter, ONLY_THEME: 'light' } });
  const caught = run.status === 1 && run.stdout.includes(b.says);
  if (!caught) letThrough++;
  console.log(`${caught ? 'ok  ' : 'FAIL'} ${b.script} catches ${b.what}${caught ? '' : ` (exit ${run.status}; expected "${b.says}")`}`);
  if (!caught) console.log(run.stdout.split('\n').filter((l) => /FAIL|axe|request|console/.test(l)).slice(0, 10).join('\n'));
  await rm(dir, { recursive: true, force: true });
}
process.exit(letThrough ? 1 : 0);
