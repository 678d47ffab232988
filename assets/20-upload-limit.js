/* The data page's uploads (dcc.Upload with max_size) drop a file over the limit without any message.
 * This script says so beside the upload that refused it, in the same words as the server's messages:
 * nothing is imported and the app keeps the previous data. The words come translated from the page
 * (data-too-big-lead, data-too-big with {file} {size} {limit}, data-decimal), English when absent. */
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
        var lead = wrap.getAttribute("data-too-big-lead") || "Not imported — the app keeps the previous data.";
        var each = wrap.getAttribute("data-too-big") || "{file}: the file is {size} MB; the limit is {limit} MB.";
        var decimal = wrap.getAttribute("data-decimal") || ".";
        box.textContent = lead + " " + big.map(function (f) {
            var size = (f.size / MB).toFixed(1).replace(".", decimal);
            // the file name last: a name containing "{size}" stays as it is
            return each.split("{size}").join(size).split("{limit}").join((limit / MB).toFixed(0))
                .split("{file}").join(f.name);
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
