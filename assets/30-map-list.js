/* The map page's region list: one listener for the whole list (no per-button id or callback input, so the
 * list stays cheap at any number of regions). A press on a region's button (mouse, or Enter/Space on the
 * focused button) sets the map's selection store; the server callbacks then send the side panel. */
(function () {
    "use strict";
    document.addEventListener("click", function (e) {
        var button = e.target && e.target.closest ? e.target.closest("#map-region-list [data-region]") : null;
        var dc = window.dash_clientside;
        if (!button || !dc || !dc.set_props) { return; }
        dc.set_props("map-selected", {data: button.getAttribute("data-region")});
    });
})();
