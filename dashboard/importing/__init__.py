"""Published MIPEX-R score tables in, as published (pure: no Dash; only :mod:`.package` writes files).

The steps, each usable alone (the command line ``python -m dashboard import``, the Data page and the dataset
versions in the database all call the same functions):

1. :func:`read_table` (:mod:`.reading`) — a CSV or XLSX file (path or bytes) → :class:`Table`: encoding
   (UTF-8 with or without BOM; Windows-1252/Latin-1 as a stated fallback), delimiter (``, ; tab |``), sheet
   (by name, or the one sheet that looks like a score table), the header row below any title or note rows.
2. :func:`match_table` (:mod:`.matching`) — a table → :class:`FileResult`: shape (wide or long), the regions
   (NUTS 2021 code, NUTS 2024 code, name) and dimensions (key or label) recognised, the scores, the problems.
3. :func:`preview_import` (:mod:`.preview`) — files + the current :class:`~dashboard.data.Dataset` →
   :class:`ImportPreview`: all of the above for every file, the first differences from the current data,
   ``ok`` (everything recognised), ``error()`` and plain ``lines()``.
4. :func:`scores_resource` / :func:`write_package` (:mod:`.package`) — an accepted preview → the ``scores``
   table and descriptor entry (real, with source, editions and file checksums), or a whole new data package
   folder, validated before it is moved into place.

Every input is bounded (:mod:`dashboard.tabular.limits`): file size, columns, rows, column-name length, at most
50 messages (then "… and K more"), cell values quoted to about 80 characters.
"""

from dashboard.importing.matching import (
    FileResult,
    RegionMatch,
    RegionMatcher,
    match_table,
)
from dashboard.importing.package import (
    ImportResult,
    PackageExists,
    default_destination,
    scores_resource,
    write_package,
)
from dashboard.importing.preview import Difference, ImportPreview, preview_import
from dashboard.importing.reading import Table, read_table

__all__ = [
    "Table", "read_table", "FileResult", "RegionMatch", "RegionMatcher", "match_table", "Difference",
    "ImportPreview", "preview_import", "ImportResult", "PackageExists", "scores_resource", "write_package",
    "default_destination",
]
