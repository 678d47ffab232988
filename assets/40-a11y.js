/* Accessibility repairs for third-party components the app cannot configure (WCAG 2.1 AA; axe-core checks
 * them in tests/e2e/test_accessibility.py):
 *  - Dash 4's dcc.Dropdown puts the keyboard stop on a hidden, aria-hidden <input> that forwards focus to the
 *    real (labelled) button: a focusable element hidden from screen readers. The button becomes the tab stop
 *    (Enter / ArrowDown open it, as before) and the hidden input leaves the tab order.
 *  - dcc.Upload's file <input> has no name: it takes the visible words of its drop zone ("Drop … or choose
 *    files"), so a screen reader announces what a sighted user reads.
 *  - dbc.Table(responsive=True) wraps a wide table in a box that scrolls sideways on a phone, which the
 *    keyboard cannot reach: the box becomes a named tab stop (its table's caption), so arrow keys scroll it.
 * The words it writes come translated from the server: ``data-a11y-*`` attributes of the shell's notice
 * (dashboard/components/notice.py, made per request in the page's language).
 * Plain DOM, no dependency; runs on every change of the page (Dash renders late). */
(function () {
    "use strict";

    function words(key, fallback) {
        var holder = document.querySelector("[data-a11y-" + key + "]");
        return (holder && holder.getAttribute("data-a11y-" + key)) || fallback;
    }

    function fixDropdowns(root) {
        root.querySelectorAll(".dash-dropdown-focus-target").forEach(function (input) {
            if (input.tabIndex !== -1) { input.tabIndex = -1; }
            var button = input.nextElementSibling;
            if (button && button.tagName === "BUTTON" && !button.disabled && button.tabIndex !== 0) {
                button.tabIndex = 0;
            }
        });
    }

    function fixUploads(root) {
        root.querySelectorAll("input[type=file]:not([aria-label]):not([aria-labelledby])").forEach(function (input) {
            if (input.id && document.querySelector("label[for='" + input.id + "']")) { return; }
            var zone = input.parentElement;
            var said = zone ? zone.textContent.replace(/\s+/g, " ").trim() : "";
            input.setAttribute("aria-label", said || words("upload", ""));
        });
    }

    function fixScrollBoxes(root) {
        root.querySelectorAll(".table-responsive:not([tabindex])").forEach(function (box) {
            var caption = box.querySelector("caption");
            box.tabIndex = 0;
            box.setAttribute("role", "region");
            box.setAttribute("aria-label", caption ? caption.textContent.trim() : words("table", ""));
        });
    }

    var queued = false;
    function repair() {
        queued = false;
        fixDropdowns(document);
        fixUploads(document);
        fixScrollBoxes(document);
    }
    function schedule() {
        if (!queued) { queued = true; window.requestAnimationFrame(repair); }
    }

    function start() {
        repair();
        new MutationObserver(schedule).observe(document.body, {
            childList: true, subtree: true, attributes: true, attributeFilter: ["tabindex", "disabled"],
        });
    }
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
