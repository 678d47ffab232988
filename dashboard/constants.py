"""Words and limits with one definition each (pure, no imports): the map credit, the illustrative
wording, the app name and the limits that screens, exports and the command line all quote.

The words are English message ids marked with ``N_`` (:mod:`dashboard.i18n`): show them through
``_(MAP_CREDIT)`` so each reader gets them in their language."""

from __future__ import annotations

from dashboard.i18n import N_

APP_NAME = "MIPEX-R Explorer"

#: Required on every map and every map export (GISCO / EuroGeographics licence).
MAP_CREDIT = N_("© EuroGeographics for the administrative boundaries")

#: The visible notice on every page that shows illustrative numbers.
ILLUSTRATIVE_TEXT = N_(
    "These scores and statistics are made by a documented generator, not the published MIPEX-R results. "
    "Only Azores' overall score (56), Lisbon ranking above it and the 12 / 4 / 9 grouping follow published facts."
)
#: The short mark on charts, source lines and files (upper case where it must stand out).
ILLUSTRATIVE_MARK = N_("ILLUSTRATIVE DATA — not the published MIPEX-R results")
#: The same mark in sentence case, as exported images and tables print it.
ILLUSTRATIVE_EXPORT_TEXT = N_("Illustrative data — not the published MIPEX-R results")
#: The mark of an export whose scores are published but whose outcome values are (partly) illustrative.
OUTCOMES_ILLUSTRATIVE_TEXT = N_("Illustrative outcome values — generated, not Eurostat figures")

#: Largest file accepted by any upload or import (a real MIPEX-R table is well under 1 MB).
MAX_FILE_BYTES = 20 * 1024 * 1024
MB = 1024 * 1024

#: How many regions a comparison (page, chart, brief) takes.
MIN_COMPARE = 2
MAX_COMPARE = 4

#: The charts that ``/export/chart.*`` and ``python -m dashboard export --chart`` can render.
EXPORT_CHARTS = ("map", "radar", "compare", "ranking", "heatmap", "target", "outcomes")
#: Image sizes (details in :data:`dashboard.export.images.SIZES`); the first is the default.
EXPORT_SIZES = ("slide", "a4")
IMAGE_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "xlsx")
