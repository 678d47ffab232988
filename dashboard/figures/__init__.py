"""Pure figure functions: DataFrame (or Dataset) → plotly Figure. No Dash, no I/O.

``common`` holds the shared look (template, colour scale, source/credit annotations); the other
modules hold one family of charts each. Every figure carries its scale and source line, and the
illustrative mark when the data are illustrative, so an exported image is honest on its own.
"""

from dashboard.figures.common import COLORSCALE, TEMPLATE, annotate_source  # noqa: F401
