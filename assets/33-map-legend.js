/* The map page's colour legend, drawn in HTML from the map figure's own colour axis (dashboard.pages.home
 * map_legend, dashboard.figures.maps html_legend): the colour scale over the axis's range, its title, its ticks
 * (the overall score's groups on a second line) and the "no score" swatch. Real text, and a measure change does
 * not make plotly.js redraw a colour bar (a quarter of that change's cost). Redrawn after every plot of the map
 * (plotly_afterplot), whichever way the figure changed (in the browser, a server Patch, a whole new figure); the
 * same legend is skipped. The constants mirror Python ids (tests compare them). */
(function () {
    "use strict";
    var C = {graph: "map-graph", legend: "map-legend"};   // ids.MAP_GRAPH, ids.MAP_LEGEND
    var attached = null;

    function el(tag, cls, text) {
        var e = document.createElement(tag);
        if (cls) { e.className = cls; }
        if (text !== undefined) { e.textContent = text; }
        return e;
    }

    /* A tick text as plotly writes it ("40", "<br><b>advanced</b>") → its line (0, or 1 after a <br>), boldness
     * and plain words (tags removed). */
    function tickParts(text) {
        var t = String(text === null || text === undefined ? "" : text);
        return {line: /^\s*<br\s*\/?>/i.test(t) ? 1 : 0, bold: /<b>/i.test(t),
                text: t.replace(/<br\s*\/?>/gi, " ").replace(/<[^>]*>/g, "").trim()};
    }

    function tickText(value, format) {
        var r = Math.round(value);
        if (format && format.charAt(0) === "+") { return (r > 0 ? "+" : r < 0 ? "\u2212" : "") + Math.abs(r); }
        return r < 0 ? "\u2212" + Math.abs(r) : String(r);
    }

    function draw(gd) {
        var box = document.getElementById(C.legend), full = gd._fullLayout, axis = full && full.coloraxis;
        if (!box || !axis || !axis.colorscale) { return; }
        // the colours and range as plotly resolved them; the bar's title and ticks as the figure gives them (with
        // no colour bar drawn, plotly keeps none of its settings)
        var given = (gd.layout && gd.layout.coloraxis) || {};
        var bar = given.colorbar || {}, lo = axis.cmin, hi = axis.cmax, span = (hi - lo) || 1;
        var title = ((bar.title && bar.title.text) || "").replace(/<br\s*\/?>/gi, " ").replace(/<[^>]*>/g, "");
        var vals = bar.tickvals || [], texts = bar.ticktext || [];
        var key = JSON.stringify([lo, hi, axis.colorscale, title, vals, texts, bar.tickformat]);
        if (box.getAttribute("data-drawn") === key) { return; }
        var stops = axis.colorscale.map(function (s) { return s[1] + " " + (100 * s[0]).toFixed(1) + "%"; });
        var head = el("div", "mx-legend-head"), none = el("span", "mx-legend-none");
        var swatch = el("span", "mx-legend-swatch");
        swatch.style.background = box.getAttribute("data-none-color") || "#9aa0a8";
        swatch.setAttribute("aria-hidden", "true");
        none.append(swatch, document.createTextNode(box.getAttribute("data-none-label") || ""));
        head.append(el("span", "mx-legend-title", title), none);
        var gradient = el("div", "mx-legend-bar");
        gradient.style.background = "linear-gradient(to right, " + stops.join(", ") + ")";
        gradient.setAttribute("aria-hidden", "true");
        var lines = [el("div", "mx-legend-ticks"), el("div", "mx-legend-ticks mx-legend-groups")];
        vals.forEach(function (v, i) {
            var part = i < texts.length ? tickParts(texts[i]) : {line: 0, bold: false, text: tickText(v, bar.tickformat)};
            var at = Math.max(0, Math.min(100, 100 * (v - lo) / span));
            var tick = el(part.bold ? "strong" : "span", "", part.text);
            tick.style.left = at + "%";
            tick.style.transform = at <= 2 ? "none" : at >= 98 ? "translateX(-100%)" : "translateX(-50%)";
            lines[part.line].appendChild(tick);
        });
        box.replaceChildren(head, gradient, lines[0]);
        if (lines[1].childElementCount) { box.appendChild(lines[1]); }
        box.setAttribute("data-drawn", key);
    }

    function attach() {
        if (attached && attached.isConnected) { return; }
        var gd = document.querySelector("#" + C.graph + " .js-plotly-plot");
        if (!gd || !gd.on) { return; }
        attached = gd;
        gd.on("plotly_afterplot", function () { draw(gd); });
        if (gd._fullLayout) { draw(gd); }
    }

    window.mipexrMapLegend = {draw: draw, tickParts: tickParts, constants: C};
    new MutationObserver(attach).observe(document.documentElement, {childList: true, subtree: true});
})();
