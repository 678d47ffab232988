/* The map page's region list, drawn in the browser (dashboard.callbacks.map: LIST_JS, MEASURE_JS).
 *
 * Drawn from MAP_LIST_META (ids, names, countries, translated words: sent once with the page) in the order of
 * a measure's rows ([position, rank, score], a few bytes per region): one native button per region
 * (data-region; DOM order is reading and tab order), made once and then re-ordered and updated in place (rank,
 * score, aria-label, the chosen one's "active" / aria-pressed). Plain DOM, not Dash components: the page's layout
 * stays small at any number of regions (1,512 buttons as components were ~0.9 MB of layout) and re-rendering them
 * through Dash took about half a second even for 25.
 *
 * One listener for the whole list (no per-button id or callback input, so the list stays cheap at any number of
 * regions): a press on a region's button (mouse, or Enter/Space on the focused button) sets the map's selection
 * store; the server callbacks then send the side panel.
 *
 * The constants below mirror Python ones (tests/test_callbacks_map_region.py compares them). */
(function () {
    "use strict";
    var C = {
        list: "map-region-list",         // ids.MAP_REGION_LIST
        options: "map-search-options",   // ids.MAP_SEARCH_OPTIONS
        selected: "map-selected",        // ids.MAP_SELECTED
        item: "list-group-item list-group-item-action d-flex align-items-center"  // region_panel.LIST_ITEM_CLASS
    };

    function span(cls) { var s = document.createElement("span"); s.className = cls; return s; }

    function mark(button, active) {
        button.className = C.item + (active ? " active" : "");
        button.setAttribute("aria-pressed", active ? "true" : "false");
    }

    /* The list in the order of rows, with ranks, scores and the chosen region marked. */
    function draw(rows, selected, meta) {
        var list = document.getElementById(C.list);
        if (!list || !rows || !meta) { return; }
        // re-ordering moves every button out of the document and back, which drops the focus to the page's top:
        // note the focused one first, focus it again after
        var focused = list.contains(document.activeElement) ? document.activeElement : null;
        var byId = {}, words = meta.words || {};
        list.querySelectorAll("button[data-region]").forEach(function (b) { byId[b.getAttribute("data-region")] = b; });
        var ordered = document.createDocumentFragment();
        rows.forEach(function (row) {
            var i = row[0], rank = row[1], score = row[2], id = meta.ids[i];
            var button = byId[id];
            if (!button) {
                button = document.createElement("button");
                button.type = "button";
                button.setAttribute("data-region", id);
                var name = span("flex-grow-1 text-start"), code = span("text-muted me-2");
                name.textContent = meta.names[i];
                code.textContent = " (" + meta.codes[i] + ")";
                button.append(span("mx-rank text-muted me-2"), name, code, span("fw-semibold"));
            }
            var spans = button.children;
            var scoreText = score === null ? words.none : (words.score || "{score}").replace("{score}", score);
            spans[0].textContent = rank === null ? "\u2013" : rank + ".";
            spans[3].textContent = scoreText;
            mark(button, id === selected);
            button.setAttribute("aria-label", meta.names[i] + ", " + meta.countries[i] + ": " + scoreText);
            ordered.appendChild(button);
            delete byId[id];
        });
        Object.keys(byId).forEach(function (id) { byId[id].remove(); });
        list.appendChild(ordered);
        if (focused && focused.isConnected && document.activeElement !== focused) { focused.focus({preventScroll: true}); }
        var options = document.getElementById(C.options);
        if (options && !options.childElementCount) {  // the search box's suggestions, once: "Name (CODE)"
            var all = document.createDocumentFragment();
            meta.ids.forEach(function (id, k) {
                var o = document.createElement("option");
                o.value = meta.names[k] + " (" + id + ")";
                all.appendChild(o);
            });
            options.appendChild(all);
        }
    }

    /* Only the chosen region marked (the order and scores stay). */
    function select(selected) {
        var list = document.getElementById(C.list);
        if (!list) { return; }
        list.querySelectorAll("button[data-region]").forEach(function (b) {
            mark(b, b.getAttribute("data-region") === selected);
        });
    }

    window.mipexrMapList = {draw: draw, select: select, constants: C};

    document.addEventListener("click", function (e) {
        var button = e.target && e.target.closest ? e.target.closest("#" + C.list + " [data-region]") : null;
        var dc = window.dash_clientside;
        if (!button || !dc || !dc.set_props) { return; }
        dc.set_props(C.selected, {data: button.getAttribute("data-region")});
    });
})();
