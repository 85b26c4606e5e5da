// The book's pages, in the order of its SUMMARY.md: every script takes its
// pages from here, so none names a chapter. BOOK_SRC is the book's src/
// (default: src, the real book's).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/// Each chapter's HTML page, in SUMMARY.md's order (README.md is index.html).
export async function chapterPages(src = process.env.BOOK_SRC ?? 'src') {
  const summary = await readFile(join(src, 'SUMMARY.md'), 'utf8');
  return [...summary.matchAll(/\]\(([^)#\s]+\.md)\)/g)].map(([, path]) =>
    path.replace(/(^|\/)README\.md$/, '$1index.html').replace(/\.md$/, '.html'));
}

/// The first chapter page with a runnable listing (a Run button).
export async function firstListingPage(root, src) {
  for (const page of await chapterPages(src)) {
    const html = await readFile(join(root, page), 'utf8').catch(() => '');
    if (html.includes('<pre class="playground">')) return page;
  }
  throw new Error(`no chapter of ${src ?? 'src'}/SUMMARY.md has a runnable listing`);
}
