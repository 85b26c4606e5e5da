// The browser suite: runs each check on the built book in Debian's Chromium,
// headless (playwright-core, with executablePath set to the system browser),
// and fails if any of them failed.
//
//   node tests/browser/suite.mjs BOOK_HTML_DIR [SCREENSHOT_DIR]
//
//   pages.mjs        every page x every theme: no off-origin request, no
//                    console error, no axe-core violation (typing mode open too)
//   behaviour.mjs    Run (playground mocked), copy, search, hidden lines,
//                    theme, sidebar, skip link, keyboard, print
//   contrast.mjs     contrast axe cannot measure (icons, the Output label,
//                    the typing mode's colours, which lie under its box)
//   run-buttons.mjs  Run only where the playground can run the listing
//   reader.mjs       labels, column 0, buttons shown and clear of the code,
//                    long lines, code that fits 100 columns from 1024 px,
//                    highlighting, figure text sizes, tap targets, title, the
//                    way on; every theme at 375, 1024, 1080 and 1280 px, and print
//   predict.mjs      "Predict it": loaded on first use, keyboard only at 1280
//                    and 375 px, a wrong line marked and said, a right one
//                    confirmed, kept in localStorage, print
//   typeit.mjs       "Type it": loaded on first use, every listing typed
//                    exactly at 1280 and 375 px, slips marked and cleared,
//                    keyboard alone, Run what you typed, print
//   screenshots.mjs  figures load, nothing overflows, PNGs of every theme,
//                    and of the typing mode open (light, coal; 375, 1280 px)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inOrder, runNode } from './pool.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [root = 'book/html', shots = 'target/screenshots'] = process.argv.slice(2);
// Each run: a check, what it is given, and what it is told by environment.
const run = (script, args, env = {}) => ({ script, args, env });
const runs = [
  run('pages.mjs', [root]),
  run('behaviour.mjs', [root]),
  run('contrast.mjs', [root]),
  run('run-buttons.mjs', [root]),
  run('reader.mjs', [root]),
  run('typeit.mjs', [root]),
  run('predict.mjs', [root]),
  run('screenshots.mjs', [root, shots]),
];
// COURSE_BOOK: the course-book fixture, built (`cargo xtask build-fixture
// tests/fixtures/course-book DIR`), for what only a book of every kind of
// listing shows: Run only where the playground can run it, "Write it" on
// its exercises, "Predict it" on outputs that vary, every kind of listing
// labelled and readable (light theme), and every one of them typed.
const course = process.env.COURSE_BOOK;
const courseSrc = { BOOK_SRC: 'tests/fixtures/course-book/src' };
if (course) {
  runs.push(
    run('run-buttons.mjs', [course], courseSrc),
    run('writeit.mjs', [course], courseSrc),
    run('predict.mjs', [course], courseSrc),
    run('reader.mjs', [course], { ...courseSrc, ONLY_THEME: 'light' }),
    run('typeit.mjs', [course], courseSrc),
  );
}
// A few at a time (pool.mjs), each one's output printed whole, in order.
const failed = [];
await inOrder(runs.map((r) => () => runNode(join(here, r.script), r.args, r.env)), (result, i) => {
  const { script, args, env } = runs[i];
  const named = `${Object.entries(env).map(([k, v]) => `${k}=${v} `).join('')}${script} ${args.join(' ')}`;
  console.log(`\n== ${named} (${result.seconds} s)`);
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.status !== 0) failed.push(named);
});
console.log(failed.length ? `\nbrowser suite: FAILED in ${failed.join(', ')}` : '\nbrowser suite: all passed');
process.exit(failed.length ? 1 : 0);
