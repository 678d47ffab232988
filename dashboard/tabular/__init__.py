"""Bounded reading and checking of CSV/XLSX tables (pure; a leaf below ``data`` and ``importing``).

* :mod:`~dashboard.tabular.limits` — the limits every input obeys (messages, quoted values, column-name length,
  columns, rows, file-name length) and the bounded :class:`~dashboard.tabular.limits.Problems` collector.
* :mod:`~dashboard.tabular.reading` — bytes → text (UTF-8, with or without BOM; cp1252/latin-1 fallback when
  asked), CSV records with a chosen delimiter, XLSX sheets read in streaming mode with row/column limits and a
  guard against compressed-size bombs.
* :mod:`~dashboard.tabular.schema` — a data-package resource (Table Schema subset: string/number/integer/boolean,
  required, enum, minimum/maximum, pattern, primary and foreign keys) read and checked column by column with
  pandas, every problem naming file, row (as a spreadsheet numbers it: header = row 1), column and rule.

Nothing here imports Dash, ``data`` or ``importing``.
"""
