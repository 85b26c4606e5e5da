// Coding by Hand: accessibility fixes to mdBook 0.5.4's page chrome, applied
// at load (additional-js runs after book.js), so index.hbs is not forked.
(function () {
    'use strict';

    // The sidebar toggle is a <label> for a hidden checkbox. A label may not
    // carry the aria-label and aria-expanded mdBook gives it (axe:
    // aria-prohibited-attr, aria-allowed-attr), and Tab never reaches it. Put a
    // real button in its place that clicks it, so book.js's own handlers still
    // run, and mirror the aria-expanded that book.js keeps up to date on it.
    const label = document.getElementById('mdbook-sidebar-toggle');
    if (label) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'icon-button';
        button.id = 'cbh-sidebar-toggle';
        ['title', 'aria-label', 'aria-controls', 'aria-expanded'].forEach(function (name) {
            button.setAttribute(name, label.getAttribute(name));
        });
        button.innerHTML = label.innerHTML;
        button.addEventListener('click', function () {
            label.click();
        });
        new MutationObserver(function () {
            button.setAttribute('aria-expanded', label.getAttribute('aria-expanded'));
        }).observe(label, { attributes: true, attributeFilter: ['aria-expanded'] });
        label.before(button);
        label.style.display = 'none';
    }

    // Landmarks, so that all content is in one (axe: region): the menu bar is
    // the page's banner, the search bar and its results a search region.
    const menuBar = document.getElementById('mdbook-menu-bar');
    if (menuBar) menuBar.setAttribute('role', 'banner');
    const searchWrapper = document.getElementById('mdbook-search-wrapper');
    if (searchWrapper) searchWrapper.setAttribute('role', 'search');

    // Search results that read as prose (theme/cbh-search.js, in theme/fonts/:
    // see theme/README.md) are needed only once search is open: load that
    // script then, as mdBook loads its search index.
    if (searchWrapper) {
        const here = document.currentScript.src;
        const load = function () {
            if (searchWrapper.classList.contains('hidden')) return false;
            const script = document.createElement('script');
            script.src = new URL('{{ resource "fonts/cbh-search.min.js" }}', here).href;
            document.head.append(script);
            return true;
        };
        if (!load()) {
            const opened = new MutationObserver(function () { if (load()) opened.disconnect(); });
            opened.observe(searchWrapper, { attributes: true, attributeFilter: ['class'] });
        }
    }
    const help = document.getElementById('mdbook-help-popup');
    if (help) {
        help.setAttribute('role', 'dialog');
        help.setAttribute('aria-label', 'Keyboard shortcuts');
    }

    // The search field has only a placeholder (axe: label-title-only), and its
    // aria-describedby names an id that does not exist.
    const searchbar = document.getElementById('mdbook-searchbar');
    if (searchbar) {
        searchbar.setAttribute('aria-label', 'Search this book');
        searchbar.setAttribute('aria-describedby', 'mdbook-searchresults-header');
    }

    // A listing or output wider than the page scrolls sideways; let the
    // keyboard scroll it too (axe: scrollable-region-focusable).
    document.querySelectorAll('main pre > code').forEach(function (code) {
        code.tabIndex = 0;
    });
    // So does a figure on a narrow screen (it keeps a width at which its
    // labels stay readable); it is labelled by its caption.
    function focusableFigures() {
        document.querySelectorAll('main figure').forEach(function (figure, i) {
            if (figure.scrollWidth > figure.clientWidth + 1) {
                figure.tabIndex = 0;
                const caption = figure.querySelector('figcaption');
                if (caption) {
                    caption.id = caption.id || 'cbh-caption-' + (i + 1);
                    figure.setAttribute('aria-labelledby', caption.id);
                }
            } else {
                figure.removeAttribute('tabindex');
            }
        });
    }
    focusableFigures();
    window.addEventListener('resize', focusableFigures);

    // Footnotes' back-links read "↩"; say where they go.
    document.querySelectorAll('.footnote-definition a[href^="#fr-"]').forEach(function (a) {
        a.setAttribute('aria-label', 'Back to the text');
    });

    // The skip link (theme/header.hbs) must come before the sidebar's links
    // in the Tab order, so move it to the top of the body.
    const skip = document.querySelector('.cbh-skip-link');
    if (skip) document.body.prepend(skip);
})();
