"""One Integration Lab practice (`/lab/<practice_id>`) with its 7-aspect assessment."""

from __future__ import annotations

import dash

dash.register_page(
    __name__,
    path_template="/lab/<practice_id>",
    title="Practice — Integration Lab — MIPEX-R Explorer",
    name="Integration Lab practice",
)


def layout(practice_id: str | None = None, **query):
    if practice_id == "contribute":  # in case the template is matched before the contribute page
        from dashboard.lab import ui

        return ui.contribute_page(query.get("region"))
    from dashboard.callbacks.lab import practice_view

    return practice_view(practice_id)
