/* The map page's measure changes in the browser (dashboard.callbacks.map MEASURE_JS / VALUES_JS).
 *
 * The page names where every measure's change is served (store "map-values": /map-values/<fingerprint>/<lang>.json,
 * dashboard.views.map.map_values, immutable and cached by the browser). It is fetched once the browser is idle,
 * after the map is drawn; from then on a measure change is a dash_clientside.Patch of the figure made here from
 * the same patch operations the server would send (dashboard.views.map.measure_ops), with no request. Until it is
 * there (or when it cannot be fetched) the server answers each change, as before. */
(function () {
    "use strict";
    var tables = {}, pending = {};

    function load(url) {
        if (!url || tables[url] || pending[url] || !window.fetch) { return; }
        pending[url] = true;
        var start = function () {
            window.fetch(url, {credentials: "same-origin"})
                .then(function (r) { return r.ok ? r.json() : null; })
                .then(function (t) { if (t && t.measures) { tables[url] = t; } })
                .catch(function () { /* the server keeps answering the changes */ })
                .then(function () { delete pending[url]; });
        };
        if (window.requestIdleCallback) { window.requestIdleCallback(start, {timeout: 2000}); }
        else { window.setTimeout(start, 300); }
    }

    /* One measure's change ({ops, rows}, a copy: the Patch's values go into the figure), or null. */
    function change(url, measure) {
        var t = tables[url], c = t && Object.prototype.hasOwnProperty.call(t.measures, measure) ? t.measures[measure] : null;
        return c ? JSON.parse(JSON.stringify(c)) : null;
    }

    /* Patch operations [verb, location, value] (verb "assign" or "merge") → a Patch Dash applies to a prop. */
    function patch(ops) {
        var p = new window.dash_clientside.Patch();
        ops.forEach(function (op) { p[op[0]](op[1], op[2]); });
        return p.build();
    }

    /* The address's query with the measure shown: first, as the server writes it (dashboard.views.map.map_search;
     * none for the default measure); every other key kept (region, editions, image size, language). */
    function search(current, measure, defaultMeasure) {
        var rest = new URLSearchParams(current || ""), out = new URLSearchParams();
        rest.delete("measure");
        if (measure && measure !== defaultMeasure) { out.set("measure", measure); }
        rest.forEach(function (value, key) { out.append(key, value); });
        var text = out.toString().replace(/%3A/gi, ":");
        return text ? "?" + text : "";
    }

    /* The addresses whose values are here (tests, and a person curious in the console). */
    function loaded() { return Object.keys(tables); }

    window.mipexrMapValues = {load: load, change: change, patch: patch, search: search, loaded: loaded};
})();
