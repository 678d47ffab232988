"""One Integration Lab practice (`/lab/<practice_id>`) with its 7-aspect assessment."""

from __future__ import annotations

import dash

from dashboard import state
from dashboard.components import lab as lab_components
from dashboard.i18n import _
from dashboard.views.lab import dataset_regions, practice_view


def _title(**_ignored) -> str:
    return _("Practice — Integration Lab — MIPEX-R Explorer")


dash.register_page(
    __name__,
    path_template="/lab/<practice_id>",
    title=_title,
    name="Integration Lab practice",
)


def layout(practice_id: str | None = None, **query):
    if practice_id == "contribute":  # in case the template is matched before the contribute page
        from dashboard.pages import lab_contribute

        return lab_contribute.layout(**query)
    view = practice_view(practice_id)
    if view.error is not None:
        return lab_components.db_unavailable(view.error)
    if view.record is None:
        return lab_components.practice_missing(practice_id)
    regions = dataset_regions(state.current(), cache=state.shared_data())
    return lab_components.practice_detail(view.record, regions)
