/* The data page's uploads (dcc.Upload with max_size) drop a file over the limit without any message.
 * This script says so beside the upload that refused it, in the same words as the server's messages:
 * nothing is imported and the app keeps the previous data. */
(function () {
    "use strict";
    var MB = 1024 * 1024;

    function check(event, files) {
        var wrap = event.target && event.target.closest ? event.target.closest(".mx-upload-wrap") : null;
        if (!wrap || !files) { return; }
        var limit = Number(wrap.getAttribute("data-limit"));
        var box = wrap.querySelector(".mx-upload-too-big");
        if (!box || !limit) { return; }
        var big = Array.prototype.filter.call(files, function (f) { return f.size > limit; });
        if (!big.length) { box.hidden = true; box.textContent = ""; return; }
        box.textContent = "Not imported — the app keeps the previous data. " + big.map(function (f) {
            return f.name + ": the file is " + (f.size / MB).toFixed(1) + " MB; the limit is " +
                (limit / MB).toFixed(0) + " MB.";
        }).join(" ");
        box.hidden = false;
    }

    document.addEventListener("change", function (e) {
        if (e.target && e.target.type === "file") { check(e, e.target.files); }
    }, true);
    document.addEventListener("drop", function (e) {
        check(e, e.dataTransfer && e.dataTransfer.files);
    }, true);
})();
