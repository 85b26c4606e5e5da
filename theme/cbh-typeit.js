// Coding by Hand: "Type it", the typing mode (issue 22). theme/cbh-listings.js
// loads it (minified, with theme/cbh-typeit.css inside it, from fonts/) the
// first time a learner presses "Type it" on a listing, and calls
// window.cbhTypeit.toggle(pre, button); pressing the button again closes it.
//
// What the learner types: the lines the block shows. A block that shows part
// of a file shows that part at column 0, as the lesson prints it, and that is
// what is typed; if "Show hidden lines" was on when Type it was pressed, the
// whole file, as it is.
//
// How it checks: each line against the listing's line, character by
// character, as it is typed. A character that differs from the listing's at
// its place is a slip: marked there, in red (and the box is aria-invalid, and
// a screen reader hears where), until Backspace takes it away. Spaces after
// the end of a line and how a line ends never count; leaving a line for the
// next (Enter) before its end is a slip where it stopped. After Enter the next
// line's indentation is filled in, as an editor does; the learner can switch
// that off and type it. Tab indents; Shift+Tab or Esc leaves the box (no
// keyboard trap). Pasting is off: the point is to type.
//
// When done: the time, characters a minute, the slips and where they
// clustered, and the best time so far, kept in this browser's localStorage
// and never sent anywhere.
//
// "Run what you typed" (only on a block with a Run button, which tells the
// truth: the harness checks it): the whole program, the typed lines put back
// in place of the part the block shows, between the hidden lines around it,
// is posted to the playground as book.js's Run posts a listing; what it
// prints is compared with the book's checked output, the output block of the
// same listing (the listing-labels preprocessor marks it, a
// div.cbh-output-of just above it). Nothing leaves the page before that.
//
// "Write it" (issue 29), on a listing that is an exercise (its label says
// data-exercise): the starter in an editable box, where the learner writes
// their own code (nothing is a slip, and pasting is allowed: it is their
// code), kept as a draft in localStorage; "Run what you wrote" (where the
// block runs on the playground) runs it and compares what it printed with
// the exercise's goal, its checked output block.
(function () {
    'use strict';
    if (window.cbhTypeit) return;

    const STYLE = '__CBH_CSS__';
    const style = document.createElement('style');
    style.textContent = STYLE;
    document.head.append(style);

    const sessions = new Map();
    let ids = 0;

    // ---- What the block shows, and the program around it ----

    function blockLines(code) {
        const hiding = code.classList.contains('hide-boring');
        const spans = Array.from(code.querySelectorAll(':scope > .cbh-line'));
        const rows = spans.length
            ? spans.map(function (s, i) {
                return { text: s.textContent.replace(/\n$/, ''), boring: s.classList.contains('boring'), at: i };
            })
            : code.textContent.split('\n').map(function (t, i) { return { text: t, boring: false, at: i }; });
        const shown = rows.filter(function (r) { return !(hiding && r.boring); });
        for (const r of shown) r.text = r.text.replace(/\t/g, '    ').replace(/\s+$/, '');
        while (shown.length && !shown[shown.length - 1].text) shown.pop();
        while (shown.length && !shown[0].text) shown.shift();
        return { shown: shown, part: hiding && rows.some(function (r) { return r.boring; }) };
    }

    // The whole file with the typed lines in place of the shown ones (the
    // hidden lines stay where they are), each given back the indentation
    // the block took off.
    function program(s, typed) {
        const lines = typed.split('\n');
        if (!s.part) return typed;
        const file = (s.pre.dataset.cbhCopy || '').split('\n');
        const first = s.shown[0].at;
        const last = s.shown[s.shown.length - 1].at;
        const pad = ' '.repeat(s.indent);
        const put = function (l) { return l.trim() ? pad + l : ''; };
        const out = file.slice(0, first);
        let k = 0;
        for (let i = first; i <= last; i++) {
            if (s.shown[k] && s.shown[k].at === i) {
                out.push(put(lines[k] || ''));
                k++;
            } else {
                out.push(file[i]);
            }
        }
        for (; k < lines.length; k++) out.push(put(lines[k]));
        return out.concat(file.slice(last + 1)).join('\n');
    }

    function takenIndent(s) {
        if (!s.part) return 0;
        const file = (s.pre.dataset.cbhCopy || '').split('\n');
        for (const r of s.shown) {
            if (!r.text.trim()) continue;
            const whole = file[r.at] || '';
            return (whole.length - whole.trimStart().length) - (r.text.length - r.text.trimStart().length);
        }
        return 0;
    }

    // ---- Checking ----

    function trimEnd(l) { return l.replace(/\s+$/, ''); }

    function analyse(target, typed) {
        const lines = typed.split('\n');
        const wrong = [];
        for (let j = 0; j < lines.length; j++) {
            const u = lines[j];
            const t = j < target.length ? target[j] : '';
            for (let c = 0; c < u.length; c++) {
                if (c < t.length ? u[c] !== t[c] : u[c] !== ' ') {
                    wrong.push({ line: j, col: c, got: u[c], expected: t[c] || '' });
                }
            }
            if (j < lines.length - 1 && u.length < t.length) {
                wrong.push({ line: j, col: u.length, got: '\n', expected: t.slice(u.length), short: true });
            }
        }
        const norm = function (ls) {
            const out = ls.map(trimEnd);
            while (out.length && !out[out.length - 1]) out.pop();
            return out.join('\n');
        };
        return { lines: lines, wrong: wrong, done: norm(lines) === norm(target) };
    }

    const key = function (w) { return w.line + ':' + w.col + ':' + w.got + (w.short ? ':short' : ''); };

    // A slip is a lapse, not a character: a wrong character right after
    // another wrong one (typing on after a slip) is the same slip.
    function freshSlips(before, wrong) {
        const at = new Set(wrong.map(function (w) { return w.line + ':' + w.col; }));
        return wrong.filter(function (w) {
            return !before.has(key(w)) && (w.short || !at.has(w.line + ':' + (w.col - 1)));
        });
    }

    const KEYWORDS = new Set(('as async await break const continue crate dyn else enum extern false fn for if impl in ' +
        'let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while').split(' '));
    const PAIRS = { '{': 'a brace', '}': 'a brace', '(': 'a parenthesis', ')': 'a parenthesis',
        '[': 'a bracket', ']': 'a bracket', '<': 'an angle bracket', '>': 'an angle bracket' };

    function thing(text) {
        if (PAIRS[text]) return PAIRS[text];
        return '`' + text + '`';
    }

    // Where a slip happened, as a learner would name it: a missing `;`, a
    // `mut`, a brace, indentation, the end of a line.
    function category(target, w) {
        if (w.line >= target.length) return 'lines after the end';
        const t = target[w.line];
        if (w.short) {
            const m = w.expected.match(/^\s*(\w+|\S)/);
            return m ? 'a missing ' + thing(m[1]).replace(/^an? /, '') : 'the end of a line';
        }
        if (w.col >= t.length) return 'the end of a line';
        const lead = t.match(/^ */)[0].length;
        if (w.col < lead || (w.col === lead && w.got === ' ')) return 'indentation';
        const before = t.slice(0, w.col).replace(/\\./g, '');
        if ((before.match(/"/g) || []).length % 2 === 1) return 'a string';
        const e = t[w.col];
        if (/\w/.test(e)) {
            let a = w.col;
            let b = w.col;
            while (a > 0 && /\w/.test(t[a - 1])) a--;
            while (b < t.length && /\w/.test(t[b])) b++;
            const word = t.slice(a, b);
            return KEYWORDS.has(word) || !/^\d/.test(word) ? '`' + word + '`' : 'a number';
        }
        if (e === ' ') return 'a space';
        return thing(e);
    }

    const NAMES = { ' ': 'space', ';': 'semicolon', ',': 'comma', '.': 'period', ':': 'colon', '=': 'equals sign',
        '{': 'left brace', '}': 'right brace', '(': 'left parenthesis', ')': 'right parenthesis', '[': 'left bracket',
        ']': 'right bracket', '<': 'less-than sign', '>': 'greater-than sign', '"': 'double quote', '\'': 'apostrophe',
        '!': 'exclamation mark', '?': 'question mark', '&': 'ampersand', '*': 'asterisk', '+': 'plus sign',
        '-': 'hyphen', '/': 'slash', '\\': 'backslash', '|': 'vertical bar', '_': 'underscore', '#': 'number sign',
        '%': 'percent sign', '^': 'caret', '~': 'tilde', '`': 'backtick', '@': 'at sign', '$': 'dollar sign' };
    const said = function (ch) { return NAMES[ch] || ch; };

    // What a screen reader hears, and the visible line under the box says.
    function describe(w) {
        const where = 'line ' + (w.line + 1) + ', column ' + (w.col + 1);
        if (w.short) return 'Slip at ' + where + ': the line goes on with ' + w.expected.trim() + '; Backspace to go back to it.';
        if (!w.expected) return 'Slip at ' + where + ': the listing\'s line ends here, you typed ' + said(w.got) + '.';
        return 'Slip at ' + where + ': the listing has ' + said(w.expected) + ', you typed ' + said(w.got) + '.';
    }

    // ---- Showing it ----

    const esc = function (t) { return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'); };

    function render(s) {
        const bad = new Map();
        const short = new Set();
        for (const w of s.state.wrong) {
            if (w.short) short.add(w.line);
            else {
                if (!bad.has(w.line)) bad.set(w.line, new Set());
                bad.get(w.line).add(w.col);
            }
        }
        const lines = s.state.lines;
        const n = Math.max(s.target.length, lines.length);
        const rows = [];
        for (let j = 0; j < n; j++) {
            const u = j < lines.length ? lines[j] : '';
            const t = j < s.target.length ? s.target[j] : '';
            const b = bad.get(j);
            let row = '';
            let plain = '';
            for (let c = 0; c < u.length; c++) {
                if (b && b.has(c)) {
                    row += esc(plain) + '<mark class="cbh-ti-slip" data-line="' + (j + 1) + '" data-col="' + (c + 1) + '">' +
                        esc(u[c]) + '</mark>';
                    plain = '';
                } else {
                    plain += u[c];
                }
            }
            row += esc(plain);
            if (t.length > u.length) {
                row += short.has(j)
                    ? '<span class="cbh-ti-rest cbh-ti-missing" data-line="' + (j + 1) + '" data-col="' + (u.length + 1) + '">' +
                        esc(t.slice(u.length)) + '</span>'
                    : '<span class="cbh-ti-rest">' + esc(t.slice(u.length)) + '</span>';
            }
            rows.push(row);
        }
        // One more line than typed, so the box never scrolls inside itself.
        rows.push(' ');
        s.layer.innerHTML = rows.join('\n');
    }

    function caret(s) {
        const before = s.input.value.slice(0, s.input.selectionEnd);
        const line = before.split('\n').length - 1;
        return { line: line, col: before.length - before.lastIndexOf('\n') - 1 };
    }

    // Keeps the caret in sight when a long line scrolls the box sideways.
    function keepInView(s) {
        const probe = document.createElement('span');
        probe.textContent = '0000000000';
        s.layer.append(probe);
        const ch = probe.getBoundingClientRect().width / 10;
        probe.remove();
        const pad = parseFloat(getComputedStyle(s.layer).paddingLeft) || 0;
        const x = pad + caret(s).col * ch;
        const box = s.surface;
        if (x < box.scrollLeft + 2 * ch) box.scrollLeft = Math.max(0, x - 4 * ch);
        else if (x > box.scrollLeft + box.clientWidth - 3 * ch) box.scrollLeft = x - box.clientWidth + 6 * ch;
        s.input.scrollTop = 0;
        s.input.scrollLeft = 0;
    }

    const plural = function (n, one, many) { return n + ' ' + (n === 1 ? one : many); };

    function showProgress(s) {
        if (s.done) return;
        const at = caret(s);
        let text = 'Line ' + Math.min(at.line + 1, Math.max(s.target.length, 1)) + ' of ' + s.target.length + ' · ' +
            plural(s.slips.length, 'slip', 'slips');
        const standing = s.state.wrong[0];
        if (standing) text += ' · ' + describe(standing);
        s.progress.textContent = text;
    }

    function time(ms) {
        const secs = Math.round(ms / 1000);
        return Math.floor(secs / 60) + ':' + String(secs % 60).padStart(2, '0');
    }

    function store(name, value) {
        try {
            if (value === undefined) return JSON.parse(localStorage.getItem(name) || 'null');
            localStorage.setItem(name, JSON.stringify(value));
        } catch (e) { /* no storage (private window): no best time */ }
        return null;
    }

    function hash(text) {
        let h = 0x811c9dc5;
        for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
        return h.toString(36);
    }

    function codeHtml(text) {
        return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
    }

    function finish(s) {
        s.done = true;
        const ms = Math.max(1, performance.now() - s.started);
        let chars = s.target.length - 1;
        for (const l of s.target) chars += (s.fill ? l.trimStart() : l).length;
        const cpm = Math.round(chars / (ms / 60000));
        const groups = new Map();
        for (const slip of s.slips) {
            if (!groups.has(slip.category)) groups.set(slip.category, []);
            groups.get(slip.category).push(slip.line + 1);
        }
        const clusters = Array.from(groups.entries())
            .sort(function (a, b) { return b[1].length - a[1].length; })
            .slice(0, 4)
            .map(function (g) {
                const where = Array.from(new Set(g[1]));
                return g[0] + (g[1].length > 1 ? ' ×' + g[1].length : '') + ' (line' + (where.length > 1 ? 's ' : ' ') +
                    where.join(', ') + ')';
            });
        const name = 'cbh-typeit:' + s.listing + ':' + s.file + ':' + hash(s.target.join('\n')) + (s.fill ? '' : ':indent');
        const best = store(name);
        const isBest = !best || ms < best.ms;
        if (isBest) store(name, { ms: ms, cpm: cpm, slips: s.slips.length });
        const text = ': ' + cpm + ' characters a minute, ' + plural(s.slips.length, 'slip', 'slips') +
            (clusters.length ? ': ' + clusters.join(', ') : '') + '. ' +
            (isBest ? (best ? 'A new best (it was ' + time(best.ms) + ').' : 'Your first time for this listing.')
                : 'Best so far: ' + time(best.ms) + '.') +
            ' Times are kept in this browser only.';
        s.summary.innerHTML = '<strong>Done in ' + time(ms) + '</strong>' + codeHtml(text);
        s.progress.textContent = 'Done: ' + plural(s.slips.length, 'slip', 'slips') + '.';
        s.input.readOnly = true;
        s.root.classList.add('cbh-ti-finished');
    }

    function update(s) {
        const value = s.input.value;
        if (!s.started && value) s.started = performance.now();
        const state = analyse(s.target, value);
        const fresh = s.done ? [] : freshSlips(s.keys, state.wrong);
        s.keys = new Set(state.wrong.map(key));
        for (const w of fresh) {
            w.category = category(s.target, w);
            s.slips.push(w);
        }
        s.state = state;
        render(s);
        s.input.setAttribute('aria-invalid', state.wrong.length ? 'true' : 'false');
        if (fresh.length) s.alert.textContent = describe(fresh[0]);
        else if (!state.wrong.length) s.alert.textContent = '';
        const at = caret(s);
        if (at.line !== s.line) {
            s.line = at.line;
            const next = s.target[at.line];
            if (next !== undefined && value) s.say.textContent = 'Line ' + (at.line + 1) + ': ' + (next.trim() || 'blank');
        }
        if (state.done && !s.done) finish(s);
        showProgress(s);
        keepInView(s);
    }

    // ---- Running what was typed ----

    function bookOutput(s) {
        for (const mark of document.querySelectorAll('main .cbh-output-of')) {
            if (mark.dataset.listing !== s.listing) continue;
            const code = mark.nextElementSibling && mark.nextElementSibling.querySelector('code');
            if (!code) continue;
            let text = code.textContent;
            if (mark.dataset.kind === 'transcript') {
                // A session: what the program printed after cargo's `Running` line.
                const lines = text.split('\n');
                const from = lines.findIndex(function (l) { return /^\s+Running `/.test(l); });
                if (from < 0) continue;
                const rest = lines.slice(from + 1);
                const end = rest.findIndex(function (l) { return /^(\$ |\? )/.test(l); });
                text = (end < 0 ? rest : rest.slice(0, end)).join('\n');
            }
            return text;
        }
        return null;
    }

    function firstDifference(a, b) {
        const x = a.split('\n').map(trimEnd);
        const y = b.split('\n').map(trimEnd);
        while (x.length && !x[x.length - 1]) x.pop();
        while (y.length && !y[y.length - 1]) y.pop();
        for (let i = 0; i < Math.max(x.length, y.length); i++) {
            if (x[i] !== y[i]) return { line: i + 1, book: x[i], yours: y[i] };
        }
        return null;
    }

    function runnable(s) {
        const play = s.pre.querySelector(':scope > .buttons .play-button');
        return s.pre.classList.contains('playground') && !!play && !play.hidden && !play.classList.contains('hidden');
    }

    function run(s) {
        const code = program(s, s.input.value);
        let edition = '2015';
        s.code.classList.forEach(function (c) { if (c.startsWith('edition')) edition = c.slice(7); });
        const params = { version: code.indexOf('#![feature') !== -1 ? 'nightly' : 'stable', optimize: '0', code: code, edition: edition };
        const out = s.result;
        out.hidden = false;
        out.textContent = 'Running what you ' + (s.free ? 'wrote' : 'typed') + ' in the Rust Playground…';
        const timeout = new Promise(function (_, reject) {
            setTimeout(function () { reject(new Error('no answer in 20 seconds')); }, 20000);
        });
        Promise.race([fetch('https://play.rust-lang.org/evaluate.json', {
            headers: { 'Content-Type': 'application/json' }, method: 'POST', mode: 'cors', body: JSON.stringify(params),
        }).then(function (r) { return r.json(); }), timeout]).then(function (answer) {
            const printed = answer.result || '';
            const book = bookOutput(s);
            const head = document.createElement('p');
            const said = document.createElement('div');
            said.className = 'cbh-ti-printed';
            said.textContent = printed.trim() ? printed : '(nothing)';
            const verdict = document.createElement('p');
            verdict.className = 'cbh-ti-verdict';
            head.textContent = answer.error ? 'It did not build or run; the playground says:' : 'What your program printed:';
            const goal = s.free ? 'the exercise\'s goal' : 'the book\'s checked output';
            if (book === null) {
                verdict.textContent = 'The book shows no checked output for this listing to compare with.';
            } else {
                const diff = firstDifference(book, printed);
                if (!diff) {
                    verdict.textContent = s.free ? '✓ It prints the exercise\'s goal: well done.' : '✓ The same as the book\'s checked output.';
                    verdict.classList.add('cbh-ti-same');
                } else {
                    verdict.textContent = (s.free ? 'Not ' + goal + ' yet' : 'Not the same as ' + goal) + ', from line ' + diff.line + ': the book\'s reads “' +
                        (diff.book === undefined ? '(no line)' : diff.book) + '”, yours “' + (diff.yours === undefined ? '(no line)' : diff.yours) + '”.';
                    verdict.classList.add('cbh-ti-differs');
                }
            }
            out.replaceChildren(head, said, verdict);
        }).catch(function (e) {
            out.textContent = 'The Rust Playground did not answer (' + e.message + '). Your text is still here; try again when online.';
        });
    }

    // ---- The typing mode of one block ----

    function el(tag, cls, text) {
        const e = document.createElement(tag);
        if (cls) e.className = cls;
        if (text) e.textContent = text;
        return e;
    }

    // The typing box and what goes with it, into s: the bar (fill in
    // indentation, Run, Start over), the hint, the faded listing under the
    // box, the progress, the summary and what screen readers are told.
    function typingPanel(s, id) {
        s.root = el('div', 'cbh-ti');
        s.root.setAttribute('role', 'group');
        s.root.setAttribute('aria-label', 'Typing ' + s.name);
        const bar = el('div', 'cbh-ti-bar');
        const option = el('label', 'cbh-ti-option');
        const fill = el('input');
        fill.type = 'checkbox';
        fill.checked = s.fill;
        option.append(fill, ' Fill in indentation');
        const again = el('button', 'cbh-ti-again', 'Start over');
        again.type = 'button';
        bar.append(option);
        if (runnable(s)) {
            const go = el('button', 'cbh-ti-run', 'Run what you typed');
            go.type = 'button';
            go.addEventListener('click', function () { run(s); });
            bar.append(go);
        }
        bar.append(again);
        const hint = el('p', 'cbh-ti-hint',
            'Type over the faded listing. A slip shows in red where it happens; Backspace clears it. ' +
            'Tab indents; Shift+Tab or Esc leaves the box.');
        hint.id = id + '-hint';
        s.surface = el('div', 'cbh-ti-surface hljs');
        const sheet = el('div', 'cbh-ti-sheet');
        s.layer = el('div', 'cbh-ti-layer');
        s.layer.setAttribute('aria-hidden', 'true');
        s.input = el('textarea', 'cbh-ti-input');
        s.input.setAttribute('aria-label', 'Type ' + s.name);
        s.input.setAttribute('aria-describedby', id + '-hint ' + id + '-progress');
        s.input.setAttribute('aria-invalid', 'false');
        for (const [k, v] of [['autocomplete', 'off'], ['autocorrect', 'off'], ['autocapitalize', 'off'],
            ['spellcheck', 'false'], ['wrap', 'off'], ['translate', 'no'], ['data-gramm', 'false']]) s.input.setAttribute(k, v);
        sheet.append(s.layer, s.input);
        s.surface.append(sheet);
        s.progress = el('p', 'cbh-ti-progress');
        s.progress.id = id + '-progress';
        s.summary = el('div', 'cbh-ti-summary');
        s.summary.setAttribute('role', 'status');
        s.result = el('div', 'cbh-ti-result');
        s.result.setAttribute('role', 'status');
        s.result.hidden = true;
        s.alert = el('p', 'cbh-ti-sr');
        s.alert.setAttribute('aria-live', 'assertive');
        s.say = el('p', 'cbh-ti-sr');
        s.say.setAttribute('aria-live', 'polite');
        s.root.append(bar, hint, s.surface, s.progress, s.summary, s.result, s.alert, s.say);
        return { fill: fill, again: again };
    }

    // What the typing box does with keys, input, paste and the bar's controls.
    function listenWhileTyping(s, fill, again) {
        fill.addEventListener('change', function () {
            s.fill = fill.checked;
            store('cbh-typeit-fill', s.fill);
        });
        again.addEventListener('click', function () {
            s.input.value = '';
            s.input.readOnly = false;
            Object.assign(s, { keys: new Set(), slips: [], started: 0, done: false, line: 0 });
            s.summary.textContent = '';
            s.root.classList.remove('cbh-ti-finished');
            update(s);
            s.input.focus();
        });
        s.input.addEventListener('input', function (e) {
            if (s.fill && e.inputType === 'insertLineBreak') {
                const next = s.target[caret(s).line];
                const indent = next ? next.match(/^ */)[0] : '';
                const at = s.input.selectionEnd;
                if (indent && !/^ /.test(s.input.value.slice(at))) s.input.setRangeText(indent, at, at, 'end');
            }
            update(s);
        });
        s.input.addEventListener('keydown', function (e) {
            if (e.key === 'Tab' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !s.input.readOnly) {
                e.preventDefault();
                const at = s.input.selectionStart;
                const spaces = ' '.repeat(4 - caret(s).col % 4);
                s.input.setRangeText(spaces, at, s.input.selectionEnd, 'end');
                update(s);
            } else if (e.key === 'Escape') {
                e.preventDefault();
                s.button.focus();
            }
        });
        const noPaste = function (e) {
            e.preventDefault();
            s.say.textContent = s.progress.textContent = 'Pasting is off here: type it out.';
        };
        s.input.addEventListener('paste', noPaste);
        s.input.addEventListener('drop', noPaste);
        s.input.addEventListener('scroll', function () { s.input.scrollTop = 0; s.input.scrollLeft = 0; });
        for (const ev of ['keyup', 'click']) s.input.addEventListener(ev, function () { showProgress(s); });
    }

    function start(pre, button) {
        const code = pre.querySelector(':scope > code');
        const label = pre.previousElementSibling;
        const lines = blockLines(code);
        const id = 'cbh-ti-' + (++ids);
        const s = {
            pre: pre, code: code, button: button, shown: lines.shown, part: lines.part,
            target: lines.shown.map(function (r) { return r.text; }),
            listing: label.dataset.listing, file: label.dataset.file,
            name: label.textContent.split(' — ')[0].trim(),
            fill: store('cbh-typeit-fill') !== false,
            keys: new Set(), slips: [], started: 0, done: false, line: 0,
        };
        s.indent = takenIndent(s);

        const { fill, again } = typingPanel(s, id);

        listenWhileTyping(s, fill, again);

        s.close = function () {
            s.root.remove();
            code.classList.remove('cbh-ti-hidden');
            code.tabIndex = 0;
            button.setAttribute('aria-pressed', 'false');
            sessions.delete(pre);
        };

        code.classList.add('cbh-ti-hidden');
        code.tabIndex = -1;
        code.after(s.root);
        button.setAttribute('aria-pressed', 'true');
        s.state = analyse(s.target, '');
        update(s);
        s.input.focus({ preventScroll: true });
        s.root.scrollIntoView({ block: 'nearest' });
        return s;
    }

    // ---- "Write it": an exercise, written freely ----

    function startFree(pre, button) {
        const code = pre.querySelector(':scope > code');
        const label = pre.previousElementSibling;
        const lines = blockLines(code);
        const id = 'cbh-wi-' + (++ids);
        const s = {
            pre: pre, code: code, button: button, shown: lines.shown, part: lines.part, free: true,
            target: lines.shown.map(function (r) { return r.text; }),
            listing: label.dataset.listing, file: label.dataset.file,
            name: label.textContent.split(' — ')[0].trim(),
        };
        s.indent = takenIndent(s);
        const draft = 'cbh-writeit:' + s.listing + ':' + s.file;
        s.root = el('div', 'cbh-ti cbh-wi');
        s.root.setAttribute('role', 'group');
        s.root.setAttribute('aria-label', 'Writing ' + s.name);
        const bar = el('div', 'cbh-ti-bar');
        const again = el('button', 'cbh-ti-again', 'Start from the starter again');
        again.type = 'button';
        if (runnable(s)) {
            const go = el('button', 'cbh-ti-run', 'Run what you wrote');
            go.type = 'button';
            go.addEventListener('click', function () { run(s); });
            bar.append(go);
        }
        bar.append(again);
        const hint = el('p', 'cbh-ti-hint', label.dataset.exercise === 'tests'
            ? 'Write your own code, from the starter: the goal is that the tests the chapter shows pass (run them with cargo test). Tab indents; Esc leaves the box.'
            : 'Write your own code, from the starter: the goal is the output the chapter shows. Tab indents; Esc leaves the box.');
        hint.id = id + '-hint';
        const name = el('label', 'cbh-wi-label', 'Your ' + s.file);
        name.htmlFor = id;
        s.input = el('textarea', 'cbh-wi-input');
        s.input.id = id;
        s.input.setAttribute('aria-describedby', id + '-hint');
        for (const [k, v] of [['autocomplete', 'off'], ['autocorrect', 'off'], ['autocapitalize', 'off'],
            ['spellcheck', 'false'], ['wrap', 'off'], ['translate', 'no'], ['data-gramm', 'false']]) s.input.setAttribute(k, v);
        s.input.value = store(draft) || s.target.join('\n');
        s.input.rows = Math.min(Math.max(s.target.length + 2, 4), 24);
        s.result = el('div', 'cbh-ti-result');
        s.result.setAttribute('role', 'status');
        s.result.hidden = true;
        s.root.append(bar, hint, name, s.input, s.result);

        again.addEventListener('click', function () {
            s.input.value = s.target.join('\n');
            store(draft, null);
            s.input.focus();
        });
        s.input.addEventListener('input', function () { store(draft, s.input.value); });
        s.input.addEventListener('keydown', function (e) {
            if (e.key === 'Tab' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
                e.preventDefault();
                const at = s.input.selectionStart;
                const col = at - s.input.value.lastIndexOf('\n', at - 1) - 1;
                s.input.setRangeText(' '.repeat(4 - col % 4), at, s.input.selectionEnd, 'end');
                store(draft, s.input.value);
            } else if (e.key === 'Escape') {
                e.preventDefault();
                s.button.focus();
            }
        });

        s.close = function () {
            s.root.remove();
            code.classList.remove('cbh-ti-hidden');
            code.tabIndex = 0;
            button.setAttribute('aria-pressed', 'false');
            sessions.delete(pre);
        };

        code.classList.add('cbh-ti-hidden');
        code.tabIndex = -1;
        code.after(s.root);
        button.setAttribute('aria-pressed', 'true');
        s.input.focus({ preventScroll: true });
        s.root.scrollIntoView({ block: 'nearest' });
        return s;
    }

    window.cbhTypeit = {
        toggle: function (pre, button, options) {
            const open = sessions.get(pre);
            if (open) open.close();
            else sessions.set(pre, options && options.free ? startFree(pre, button) : start(pre, button));
        },
    };
})();
