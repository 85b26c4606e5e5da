// Coding by Hand: "Predict it" (issue 29). theme/cbh-listings.js loads it
// (minified, with theme/cbh-predict.css inside it, from fonts/) the first time
// a learner presses "Predict it" on an output block, and calls
// window.cbhPredict.toggle(pre, button); pressing the button again closes it.
//
// The output block is the listing's checked output (`cargo test` proves it is
// what the program prints): it is the answer, never a second copy. Pressing
// "Predict it" hides it; the learner types what they think the program
// prints, one line per line, and "Check my prediction" shows the output again
// with each of its lines marked: confirmed, or not what they wrote (and what
// they wrote, in words, for a screen reader too). A right prediction says so.
// An output that may differ from run to run (a `may-differ` block) says so,
// and is compared within the tolerance its listing declares (the
// listing-labels preprocessor puts it on the output's marker): in any order,
// `...` lines, lines that may be missing, spans that may differ. The result is kept in this
// browser's localStorage, never sent anywhere.
(function () {
    'use strict';
    if (window.cbhPredict) return;

    const STYLE = '__CBH_CSS__';
    const style = document.createElement('style');
    style.textContent = STYLE;
    document.head.append(style);

    const open = new Map();
    let ids = 0;

    function el(tag, cls, text) {
        const e = document.createElement(tag);
        if (cls) e.className = cls;
        if (text) e.textContent = text;
        return e;
    }

    function store(name, value) {
        try {
            if (value === undefined) return JSON.parse(localStorage.getItem(name) || 'null');
            localStorage.setItem(name, JSON.stringify(value));
        } catch (e) { /* no storage (private window): nothing kept */ }
        return null;
    }

    function hash(text) {
        let h = 0x811c9dc5;
        for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
        return h.toString(36);
    }

    // A line as compared: spaces at its end never count.
    const trimEnd = function (l) { return l.replace(/\s+$/, ''); };

    // The lines of a text, without the blank lines at its end.
    function linesOf(text) {
        const lines = text.replace(/\r\n/g, '\n').split('\n').map(trimEnd);
        while (lines.length && !lines[lines.length - 1]) lines.pop();
        return lines;
    }

    // The output's lines, each with the element that shows it (its
    // .cbh-line span, from cbh-listings.js) when there is one.
    function outputLines(code) {
        const spans = Array.from(code.querySelectorAll(':scope > .cbh-line'));
        const rows = spans.length
            ? spans.map(function (s) { return { text: trimEnd(s.textContent.replace(/\n$/, '')), node: s }; })
            : code.textContent.split('\n').map(function (t) { return { text: trimEnd(t), node: null }; });
        while (rows.length && !rows[rows.length - 1].text) rows.pop();
        return rows;
    }

    // How the output may differ from run to run, as its listing declares it
    // (the listing-labels preprocessor puts it on the output's marker): lines
    // in any order, `...` lines that stand for any lines, lines that may be
    // missing (they hold one of the `optional` texts), and spans (regular
    // expressions) whose text may differ.
    function toleranceOf(marker) {
        const d = marker && marker.dataset ? marker.dataset : {};
        const list = function (k) {
            try { return d[k] ? JSON.parse(d[k]) : []; } catch (e) { return []; }
        };
        const spans = list('spans').map(function (p) {
            try { return new RegExp(p, 'g'); } catch (e) { return null; }
        }).filter(Boolean);
        return { anyOrder: 'anyOrder' in d, elided: 'elided' in d, optional: list('optional'), spans: spans };
    }

    const escapeRe = function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); };

    // Whether the predicted line `wrote` is the output's line `line`: the
    // same, but where a declared span may differ.
    function same(line, wrote, tol) {
        if (!tol.spans.length) return line === wrote;
        let pattern = '';
        let at = 0;
        const cuts = [];
        for (const re of tol.spans) {
            re.lastIndex = 0;
            let m;
            while ((m = re.exec(line)) !== null) {
                if (!m[0].length) { re.lastIndex++; continue; }
                cuts.push([m.index, m.index + m[0].length]);
            }
        }
        cuts.sort(function (a, b) { return a[0] - b[0]; });
        for (const [from, to] of cuts) {
            if (from < at) continue;
            pattern += escapeRe(line.slice(at, from)) + '.*?';
            at = to;
        }
        pattern += escapeRe(line.slice(at));
        return new RegExp('^' + pattern + '$').test(wrote);
    }

    const optional = function (text, tol) {
        return tol.optional.some(function (o) { return text.indexOf(o) !== -1; });
    };

    // Each output line: 'right' (the prediction has it, at its place, or
    // anywhere when the order may differ), 'wrong' (it does not), or 'free'
    // (a `...` line, or a line that may be missing and was not predicted:
    // neither); and how many predicted lines are more than it prints.
    function compare(rows, predicted, tol) {
        const used = predicted.map(function () { return false; });
        const marks = rows.map(function (r, i) {
            const cut = tol.elided && r.text.trim() === '...';
            return { cut: cut, optional: !cut && optional(r.text, tol), wrote: null, i: i };
        });
        if (tol.anyOrder) {
            for (const m of marks) {
                if (m.cut) continue;
                const k = predicted.findIndex(function (p, j) { return !used[j] && same(rows[m.i].text, p, tol); });
                if (k >= 0) { used[k] = true; m.right = true; }
            }
        } else {
            let j = 0;
            let free = false;
            for (const m of marks) {
                if (m.cut) { free = true; continue; }
                // Lines the prediction may skip: any, after a `...`; else only
                // lines that may be missing anyway.
                let k = j;
                while (k < predicted.length && !same(rows[m.i].text, predicted[k], tol)
                    && (free || optional(predicted[k], tol))) k++;
                if (k < predicted.length && same(rows[m.i].text, predicted[k], tol)) {
                    for (let x = j; x <= k; x++) used[x] = x === k || optional(predicted[x], tol) || free;
                    m.right = true;
                    j = k + 1;
                    free = false;
                } else {
                    m.wrote = j < predicted.length ? predicted[j] : null;
                    if (!m.optional) j = Math.min(j + 1, predicted.length);
                }
            }
        }
        const extra = tol.elided ? 0 : predicted.filter(function (p, k) { return !used[k] && !optional(p, tol); }).length
            - (tol.anyOrder ? 0 : marks.filter(function (m) { return !m.right && !m.cut && !m.optional && m.wrote !== null; }).length);
        return {
            marks: marks.map(function (m) {
                return { state: m.right ? 'right' : (m.cut || m.optional) ? 'free' : 'wrong', wrote: m.wrote };
            }),
            extra: Math.max(0, extra),
        };
    }

    // The panel under a hidden output: the box, the note on an output that
    // varies, the buttons and where the verdict goes.
    function panel(rows, tol, varies, id) {
        const p = { root: el('div', 'cbh-pr') };
        p.root.setAttribute('role', 'group');
        p.root.setAttribute('aria-label', 'Predict what the program prints');
        const label = el('label', 'cbh-pr-label', 'What will it print? One line per line of output.');
        label.htmlFor = id;
        p.input = el('textarea', 'cbh-pr-input');
        p.input.id = id;
        p.input.rows = Math.min(Math.max(rows.length, 2), 12);
        p.input.spellcheck = false;
        p.input.setAttribute('autocapitalize', 'off');
        p.input.setAttribute('autocomplete', 'off');
        const bar = el('div', 'cbh-pr-bar');
        p.check = el('button', 'cbh-pr-check', 'Check my prediction');
        p.check.type = 'button';
        p.reveal = el('button', 'cbh-pr-reveal', 'Show the output');
        p.reveal.type = 'button';
        bar.append(p.check, p.reveal);
        p.result = el('div', 'cbh-pr-result');
        p.result.setAttribute('role', 'status');
        p.result.setAttribute('aria-live', 'polite');
        p.root.append(label, p.input);
        if (varies) p.root.append(toleranceNote(tol));
        p.root.append(bar, p.result);
        return p;
    }

    // What an output that varies lets a prediction leave out or reorder.
    function toleranceNote(tol) {
        const how = [];
        if (tol.anyOrder) how.push('in any order');
        if (tol.elided) how.push('a “...” line stands for any lines');
        if (tol.optional.length) how.push('lines with ' + tol.optional.map(function (o) { return '“' + o + '”'; }).join(' or ') + ' may be missing');
        if (tol.spans.length) how.push('some parts of a line may differ');
        return el('p', 'cbh-pr-note', 'This output may differ from run to run: your prediction is compared ' +
            (how.length ? 'with that in mind (' + how.join('; ') + ').' : 'as it is.'));
    }

    // The verdict on a prediction: each line of the output marked right or
    // wrong, a count, and what was written where a line is wrong.
    function verdict(result, rows, marks, extra, tol) {
        marks.forEach(function (m, i) {
            if (rows[i].node && m.state !== 'free') rows[i].node.classList.add(m.state === 'right' ? 'cbh-pr-right' : 'cbh-pr-wrong');
        });
        const counted = marks.filter(function (m) { return m.state !== 'free'; });
        const right = counted.filter(function (m) { return m.state === 'right'; }).length;
        const total = counted.length;
        result.textContent = '';
        const summary = el('p', 'cbh-pr-summary');
        const all = right === total && !extra;
        summary.textContent = all
            ? 'Right: every line, as the program prints it (' + total + ' of ' + total + ').'
            : right + ' of ' + total + ' lines right' +
                (extra ? ', and ' + extra + ' line' + (extra === 1 ? '' : 's') + ' more than it prints' : '') + '.';
        result.classList.toggle('cbh-pr-all-right', all);
        result.append(summary);
        const wrong = marks.map(function (m, i) { return [m, i]; }).filter(function (p) { return p[0].state === 'wrong'; });
        if (wrong.length) {
            const list = el('ul', 'cbh-pr-wrong-list');
            for (const [m, i] of wrong) {
                const said = tol.anyOrder
                    ? 'Line ' + (i + 1) + ' is not in your prediction: it prints “' + rows[i].text + '”.'
                    : m.wrote === null
                        ? 'Line ' + (i + 1) + ': you wrote nothing; it prints “' + rows[i].text + '”.'
                        : 'Line ' + (i + 1) + ': you wrote “' + m.wrote + '”; it prints “' + rows[i].text + '”.';
                list.append(el('li', null, said));
            }
            result.append(list);
        }
        return { right: right, total: total };
    }

    function start(pre, button) {
        const code = pre.querySelector(':scope > code');
        const marker = pre.previousElementSibling;
        const listing = marker && marker.dataset ? marker.dataset.listing || '' : '';
        const tol = toleranceOf(marker);
        const rows = outputLines(code);
        const key = 'cbh-predict:' + listing + ':' + hash(rows.map(function (r) { return r.text; }).join('\n'));
        const p = panel(rows, tol, code.classList.contains('may-differ'), 'cbh-pr-' + (++ids));
        const s = { pre: pre, code: code, button: button, root: p.root };
        const before = store(key);
        if (before) p.result.textContent = 'Last time here: ' + before.right + ' of ' + before.total + ' lines right.';

        function unmark() {
            for (const r of rows) {
                if (r.node) r.node.classList.remove('cbh-pr-right', 'cbh-pr-wrong');
            }
        }
        function hideOutput() {
            unmark();
            code.classList.add('cbh-pr-hidden');
            code.setAttribute('aria-hidden', 'true');
        }
        function showOutput() {
            code.classList.remove('cbh-pr-hidden');
            code.removeAttribute('aria-hidden');
        }

        p.check.addEventListener('click', function () {
            const { marks, extra } = compare(rows, linesOf(p.input.value), tol);
            showOutput();
            unmark();
            const score = verdict(p.result, rows, marks, extra, tol);
            store(key, { right: score.right, total: score.total, at: Date.now() });
        });
        p.reveal.addEventListener('click', function () {
            showOutput();
            p.reveal.disabled = true;
        });
        p.input.addEventListener('input', function () {
            if (!code.classList.contains('cbh-pr-hidden') && !p.reveal.disabled) hideOutput();
        });

        s.close = function () {
            s.root.remove();
            showOutput();
            unmark();
            button.setAttribute('aria-pressed', 'false');
            open.delete(pre);
        };

        hideOutput();
        pre.after(s.root);
        button.setAttribute('aria-pressed', 'true');
        p.input.focus({ preventScroll: true });
        s.root.scrollIntoView({ block: 'nearest' });
        return s;
    }

    window.cbhPredict = {
        toggle: function (pre, button) {
            const s = open.get(pre);
            if (s) s.close();
            else open.set(pre, start(pre, button));
        },
    };
})();
