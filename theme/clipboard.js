/* Coding by Hand: a small stand-in for clipboard.js (mdBook 0.5.4 bundles
   clipboard.js 2 as clipboard.min.js, 10.7 KB), with only what mdBook's
   book.js uses: new ClipboardJS(selector, { text: fn(trigger) }) and
   .on('success' | 'error', fn(event)), event = { action, text, trigger,
   clearSelection() }; and one addition: a block's data-cbh-copy, when it
   has one, is what is copied. Copies with the async Clipboard API where the page is
   a secure context, else with a hidden textarea and execCommand('copy'). */
(function () {
    'use strict';
    function copy(text) {
        if (navigator.clipboard && window.isSecureContext) {
            return navigator.clipboard.writeText(text);
        }
        return new Promise(function (resolve, reject) {
            const area = document.createElement('textarea');
            area.value = text;
            area.setAttribute('readonly', '');
            area.style.position = 'fixed';
            area.style.top = '0';
            area.style.opacity = '0';
            document.body.append(area);
            area.select();
            let ok = false;
            try { ok = document.execCommand('copy'); } catch (e) { /* reported below */ }
            area.remove();
            if (ok) resolve(); else reject(new Error('copy failed'));
        });
    }
    window.ClipboardJS = function ClipboardJS(selector, options) {
        const handlers = { success: [], error: [] };
        this.on = function (type, handler) {
            handlers[type].push(handler);
            return this;
        };
        document.addEventListener('click', function (e) {
            const trigger = e.target instanceof Element ? e.target.closest(selector) : null;
            if (!trigger) return;
            // A block that shows part of a file copies the whole file
            // (theme/cbh-listings.js puts it in data-cbh-copy).
            const pre = trigger.closest('pre');
            const text = pre && pre.dataset.cbhCopy ? pre.dataset.cbhCopy : options.text(trigger);
            const event = {
                action: 'copy', text: text, trigger: trigger,
                clearSelection: function () {
                    trigger.focus();
                    window.getSelection().removeAllRanges();
                },
            };
            copy(text).then(
                function () { handlers.success.forEach(function (h) { h(event); }); },
                function () { handlers.error.forEach(function (h) { h(event); }); });
        });
    };
})();
