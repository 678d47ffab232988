/* Progress on the downloads that take time (a brief's PDF, a chart's PDF/PNG/SVG: the server renders them,
 * up to half a minute the first time). The link stays a plain download link (it works without this script,
 * with a modifier key, or when the browser lacks fetch); a plain click instead:
 *  - says "Preparing your brief…" in the page's status line (#export-status, role=status, aria-live=polite,
 *    so screen readers hear it), marks the link busy (aria-busy, a spinner) and ignores repeated clicks;
 *  - fetches the file, saves it under the server's file name, then says it is downloaded;
 *  - on an error, shows the server's one-line message instead of a broken download. */
(function () {
    "use strict";
    var SLOW = {"brief-pdf": "your brief", "pdf": "the PDF", "png": "the PNG image", "svg": "the SVG image"};

    function statusBox() { return document.getElementById("export-status"); }

    function say(text, kind) {
        var box = statusBox();
        if (!box) { return; }
        box.textContent = text;
        box.className = "mx-export-status mx-no-print" + (text ? " mx-export-status-" + (kind || "info") : "");
    }

    function fileName(response, href) {
        var header = response.headers.get("Content-Disposition") || "";
        var star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(header);
        if (star) { try { return decodeURIComponent(star[1].trim().replace(/^"|"$/g, "")); } catch (e) { /* plain */ } }
        var plain = /filename="?([^";]+)"?/i.exec(header);
        if (plain) { return plain[1].trim(); }
        return href.split("?")[0].split("/").pop() || "download";
    }

    function save(blob, name) {
        var url = URL.createObjectURL(blob);
        var a = document.createElement("a");
        a.href = url;
        a.download = name;
        a.hidden = true;
        document.body.appendChild(a);
        a.click();
        window.setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 60000);
    }

    document.addEventListener("click", function (event) {
        var link = event.target && event.target.closest ? event.target.closest("a[data-fmt]") : null;
        if (!link || !SLOW[link.getAttribute("data-fmt")] || !window.fetch || !window.URL || !URL.createObjectURL) {
            return;
        }
        if (event.defaultPrevented || event.button > 0 || event.metaKey || event.ctrlKey || event.shiftKey ||
            event.altKey) { return; }
        var href = link.getAttribute("href");
        if (!href || href === "#") { return; }
        event.preventDefault();
        if (link.getAttribute("aria-busy") === "true") { return; }  // already on its way
        var what = SLOW[link.getAttribute("data-fmt")];
        link.setAttribute("aria-busy", "true");
        link.classList.add("mx-busy");
        say("Preparing " + what + "… this can take up to half a minute the first time.", "info");
        var started = Date.now();
        fetch(href, {credentials: "same-origin"}).then(function (response) {
            if (!response.ok) {
                return response.text().then(function (text) {
                    var line = (text || "").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 300);
                    throw new Error(line || ("The server answered " + response.status + "."));
                });
            }
            return response.blob().then(function (blob) {
                var name = fileName(response, href);
                save(blob, name);
                var secs = Math.round((Date.now() - started) / 100) / 10;
                say("Downloaded " + name + " (" + secs + " s).", "done");
            });
        }).catch(function (error) {
            say("Could not make " + what + ": " + error.message, "error");
        }).then(function () {
            link.removeAttribute("aria-busy");
            link.classList.remove("mx-busy");
        });
    }, false);
})();
