"""Exports: chart images, data downloads and briefs. Importing the package loads nothing heavy.

* :mod:`dashboard.export.browser` — the one warm headless Chromium (kaleido) and its life cycle;
* :mod:`dashboard.export.images` — sizes, decoration (title, source, date, illustrative mark, map credit) and
  PNG/SVG/PDF rendering of a figure or of a named chart (:mod:`dashboard.views.charts`);
* :mod:`dashboard.export.tables` — CSV (header block) and XLSX (About sheet) of the data views
  (:mod:`dashboard.views.tables`), formula-like text neutralised (:func:`dashboard.cells.neutralise`);
* :mod:`dashboard.export.brief` — the regional / comparison brief as HTML (Jinja2, charts inlined as SVG)
  and as an A4 PDF printed by the same Chromium (context from :mod:`dashboard.views.brief`).

Around them, for the HTTP routes: :mod:`dashboard.export.pool` — the bounded render pool that keeps images
and PDFs off the request threads (503 + ``Retry-After`` when full); :mod:`dashboard.export.cache` — the
bounded cache of rendered files (entries and bytes), keyed by the parsed request only;
:mod:`dashboard.export.links` — the "view in the dashboard" link a file quotes (``MIPEXR_PUBLIC_URL`` or a
relative path, never the request's Host).

The HTTP routes are :mod:`dashboard.routes.export`; the command line is :mod:`dashboard.cli.export`.
"""
