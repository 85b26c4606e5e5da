// Coding by Hand: listings as a learner types them. additional-js, so it
// runs after book.js has highlighted the code and hidden the hidden lines.
//
// - A block that shows part of a file (the rest hidden, from
//   {{#rustdoc_include file:anchor}}) shows its lines without their common
//   indentation, at column 0 as the lesson prints them. "Show hidden lines"
//   puts the whole file back as it is, indentation and all. So does an
//   excerpt of a Rust file ({{#include file:anchor}}, labelled an excerpt).
// - Copy on such a block copies the whole file, hidden lines included, as
//   it is: pasted into the file the listing's label names, it compiles.
//   (theme/clipboard.min.js copies a block's data-cbh-copy when it has one.)
// - Each line of every block gets a span that the print styles give a
//   hanging indent: on paper a long line wraps under its own indentation
//   instead of running off the page or back to column 0.
// - A terminal session or TOML is highlighted once its grammar comes.
// - "Type it" beside Copy and Run, on every block that shows a listing's
//   file, opens the typing mode (theme/cbh-typeit.js, loaded on first use).
// - "Write it" in its place on an exercise's starter (its label says
//   data-exercise): the learner writes their own code from it (the same
//   file's other mode).
// - "Predict it" on every checked output block hides the output and lets the
//   learner predict it (theme/cbh-predict.js, loaded on first use).
(function () {
    'use strict';
    // Loads a script that mdBook names where this one says {{ resource }}
    // (relative to this script).
    const here = document.currentScript.src;
    function load(src, done, failed) {
        const script = document.createElement('script');
        script.src = new URL(src, here).href;
        script.onload = done;
        script.onerror = failed;
        document.head.append(script);
        return script;
    }

    function textNodes(root) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        const nodes = [];
        while (walker.nextNode()) nodes.push(walker.currentNode);
        return nodes;
    }

    function hidden(node) {
        return !!(node.parentElement && node.parentElement.closest('.boring'));
    }

    // The indentation every visible, non-blank line shares.
    function commonIndent(code) {
        let visible = '';
        for (const node of textNodes(code)) {
            if (!hidden(node)) visible += node.data;
        }
        let least = Infinity;
        for (const line of visible.split('\n')) {
            if (line.trim()) least = Math.min(least, line.match(/^ */)[0].length);
        }
        return least === Infinity ? 0 : least;
    }

    // Takes `n` leading spaces off every visible line.
    function dedent(code, n) {
        let atLineStart = true;
        let taken = 0;
        for (const node of textNodes(code)) {
            const skip = hidden(node);
            let out = '';
            for (const ch of node.data) {
                if (ch === '\n') {
                    atLineStart = true;
                    taken = 0;
                    out += ch;
                } else if (!skip && atLineStart && ch === ' ' && taken < n) {
                    taken += 1;
                } else {
                    atLineStart = skip && atLineStart;
                    out += ch;
                }
            }
            node.data = out;
        }
    }

    // Wraps each line of the code in <span class="cbh-line">, splitting and
    // reopening the highlighter's spans where a line ends inside one, and
    // gives it its indentation as --cbh-indent (in characters).
    function markLines(code) {
        const lines = [];
        let line = [];
        function walk(node, wrappers) {
            for (const child of Array.from(node.childNodes)) {
                if (child.nodeType === Node.TEXT_NODE) {
                    const parts = child.data.split('\n');
                    parts.forEach(function (part, i) {
                        if (part) line.push({ text: part, wrappers: wrappers });
                        if (i < parts.length - 1) {
                            line.push({ text: '\n', wrappers: wrappers });
                            lines.push(line);
                            line = [];
                        }
                    });
                } else if (child.nodeType === Node.ELEMENT_NODE) {
                    walk(child, wrappers.concat([child]));
                }
            }
        }
        walk(code, []);
        if (line.length) lines.push(line);
        code.textContent = '';
        for (const pieces of lines) {
            const span = document.createElement('span');
            span.className = 'cbh-line';
            const text = pieces.map(function (p) { return p.text; }).join('');
            const indent = text.match(/^ */)[0].length;
            span.style.setProperty('--cbh-indent', String(indent));
            for (const piece of pieces) {
                let node = document.createTextNode(piece.text);
                for (let i = piece.wrappers.length - 1; i >= 0; i--) {
                    const copy = piece.wrappers[i].cloneNode(false);
                    copy.append(node);
                    node = copy;
                }
                span.append(node);
            }
            // A line of hidden lines is hidden as a whole.
            if (pieces.every(function (p) {
                return p.wrappers.some(function (w) { return w.classList && w.classList.contains('boring'); });
            })) {
                span.classList.add('boring');
            }
            code.append(span);
        }
    }

    // A block whose longest line does not fit shows a shadow on its right
    // edge (the print styles wrap it instead).
    function markOverflow() {
        for (const code of document.querySelectorAll('main pre > code')) {
            code.classList.toggle('cbh-overflows', code.scrollWidth > code.clientWidth + 1);
        }
    }

    for (const code of document.querySelectorAll('main pre > code')) {
        const pre = code.parentElement;
        const whole = code.innerHTML;
        if (code.querySelector('.boring')) {
            // What the reader pastes: the whole file.
            pre.dataset.cbhCopy = code.textContent;
            const show = function () {
                code.innerHTML = whole;
                if (code.classList.contains('hide-boring')) dedent(code, commonIndent(code));
                markLines(code);
            };
            show();
            let hiding = code.classList.contains('hide-boring');
            new MutationObserver(function () {
                if (hiding === code.classList.contains('hide-boring')) return;
                hiding = !hiding;
                show();
                markOverflow();
            }).observe(code, { attributes: true, attributeFilter: ['class'] });
        } else {
            // An excerpt of a Rust file (labelled so) at column 0 too.
            if (code.classList.contains('language-rust')) dedent(code, commonIndent(code));
            markLines(code);
        }
    }
    markOverflow();
    window.addEventListener('resize', markOverflow);

    // A block in a language that theme/highlight.js knows by name only (a
    // terminal session, TOML: theme/tools/highlight.sh) is highlighted once
    // its grammar comes, from theme/fonts/ (see theme/README.md), loaded only
    // by a page that shows such a block.
    const later = Array.from(document.querySelectorAll('main pre > code')).filter(function (code) {
        const lang = code.className.match(/language-(\S+)/);
        const grammar = lang && window.hljs && window.hljs.getLanguage(lang[1]);
        return !!(grammar && grammar.cbhLater);
    });
    if (later.length) {
        load('{{ resource "fonts/cbh-highlight-later.js" }}', function () {
            for (const code of later) {
                window.hljs.highlightBlock(code);
                markLines(code);
            }
            markOverflow();
        });
    }

    // A mode of the page that loads its script the first time a learner
    // presses its button, so a page's first load does not grow: the
    // scripts are minified into theme/fonts/ (see theme/README.md), which
    // mdBook copies into the book without naming it on any page, and puts
    // each file's hashed name where a {{ resource }} below says. `name` is
    // the global the script sets; the returned function runs `then` with it.
    function lazily(src, name) {
        let loading;
        return function (button, then) {
            loading = loading || new Promise(function (resolve, reject) {
                const script = load(src, function () { resolve(window[name]); },
                    function () { loading = null; script.remove(); reject(); });
            });
            loading.then(then, function () {
                button.title = '"' + button.textContent + '" could not load; reload the page to try again';
            });
        };
    }

    // A toggle button first in the block's row of buttons (made if the
    // block has none), which calls `open` with itself when pressed. Its
    // text says what it does (no tooltip: a first load is held to 180 KB).
    function addButton(pre, className, text, open) {
        let buttons = pre.querySelector(':scope > .buttons');
        if (!buttons) {
            buttons = document.createElement('div');
            buttons.className = 'buttons';
            pre.prepend(buttons);
        }
        const button = document.createElement('button');
        button.type = 'button';
        button.className = className;
        button.textContent = text;
        button.setAttribute('aria-pressed', 'false');
        button.addEventListener('click', function () { open(button); });
        buttons.prepend(button);
    }

    // "Type it" on every block that shows a listing's file (its label is
    // just above it): theme/cbh-typeit.js. On an exercise's starter (its
    // label says data-exercise) it is "Write it": the learner writes their
    // own code from it, with no slips.
    const typeIt = lazily('{{ resource "fonts/cbh-typeit.min.js" }}', 'cbhTypeit');
    for (const pre of document.querySelectorAll('main .cbh-listing-label + pre')) {
        if (!pre.querySelector(':scope > .buttons') || !pre.querySelector(':scope > code')) continue;
        const free = !!pre.previousElementSibling.dataset.exercise;
        addButton(pre, 'cbh-typeit-button', free ? 'Write it' : 'Type it',
            function (button) {
                typeIt(button, function (mode) { mode.toggle(pre, button, { free: free }); });
            });
    }

    // "Predict it" on every output block the harness checks (its marker is
    // just above it; a whole terminal session is not predicted):
    // theme/cbh-predict.js.
    const predict = lazily('{{ resource "fonts/cbh-predict.min.js" }}', 'cbhPredict');
    for (const marker of document.querySelectorAll('main .cbh-output-of')) {
        const pre = marker.nextElementSibling;
        if (!pre || pre.tagName !== 'PRE' || marker.dataset.kind === 'transcript') continue;
        if (!pre.querySelector(':scope > code')) continue;
        addButton(pre, 'cbh-predict-button', 'Predict it',
            function (button) {
                predict(button, function (mode) { mode.toggle(pre, button); });
            });
    }
})();
