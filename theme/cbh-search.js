// Coding by Hand: search results that read as prose. mdBook indexes a
// note's marker as text, so a teaser can read "is written in Rust. 13
// Discord rewrote…", and a chapter's first section reads "Title » Title"
// (the chapter, then its own heading). As the results appear, drop a
// marker's number after the punctuation it follows, and a breadcrumb that
// repeats the one before it. theme/cbh-a11y.js loads it (minified, from
// theme/fonts/) when search is first opened; the index itself is mdBook's.
(function () {
    'use strict';
    const results = document.getElementById('mdbook-searchresults');
    if (!results) return;
    // A number of one to three digits right after a sentence's punctuation:
    // where mdBook's markers stand ("Rust.[^13] Discord").
    const marker = /([.,;:!?)\u2019\u201d"]) \d{1,3}(?=\s|$)/g;
    function clean() {
        for (const teaser of results.querySelectorAll('.teaser')) {
            const walker = document.createTreeWalker(teaser, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                const text = node.data.replace(marker, '$1');
                if (text !== node.data) node.data = text;
            }
        }
        for (const link of results.querySelectorAll('li > a')) {
            const parts = link.textContent.split(' » ');
            const kept = parts.filter(function (part, i) { return i === 0 || part !== parts[i - 1]; });
            if (kept.length !== parts.length) link.textContent = kept.join(' » ');
        }
    }
    clean();
    new MutationObserver(clean).observe(results, { childList: true, subtree: true });
})();
