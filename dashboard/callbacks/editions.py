"""In the browser: the "Change since" choices follow the edition shown, on the map and on Compare (the profile is
drawn again on an edition change, choices included).

The choices are "no change" (its label kept as the page made it, in the page's language) and every edition but
the one shown, newest first, from the "Edition shown" select's own options. When the change was measured from
the edition now shown, the choice falls back to "no change"; Dash then runs the page's callback once, with both
values (it waits for this callback, whose output is one of its inputs). No request to the server.
"""

from __future__ import annotations

from dash import Input, Output, State

from dashboard import ids
from dashboard.callbacks.registry import clientside_callback
from dashboard.query import NO_SINCE

SINCE_CHOICES_JS = """
function (edition, editionOptions, sinceOptions, since) {
    const nu = window.dash_clientside.no_update, none = "%(none)s", shown = String(edition);
    if (!Array.isArray(editionOptions) || !Array.isArray(sinceOptions)) { return [nu, nu]; }
    const choices = sinceOptions.filter(o => o.value === none).concat(
        editionOptions.filter(o => String(o.value) !== shown).map(o => ({label: o.label, value: o.value})));
    const same = choices.length === sinceOptions.length
        && choices.every((o, i) => o.value === sinceOptions[i].value && o.label === sinceOptions[i].label);
    return [same ? nu : choices, String(since) === shown ? none : nu];
}
""" % {"none": NO_SINCE}

for _edition_id, _since_id in ((ids.MAP_EDITION, ids.MAP_SINCE), (ids.COMPARE_EDITION, ids.COMPARE_SINCE)):
    clientside_callback(
        SINCE_CHOICES_JS,
        Output(_since_id, "options"),
        Output(_since_id, "value"),
        Input(_edition_id, "value"),
        State(_edition_id, "options"),
        State(_since_id, "options"),
        State(_since_id, "value"),
        prevent_initial_call=True,
    )
