"""Every Dash component id, in one module.

Pages, components, callbacks and browser tests import ids from here, never spell them as strings.
Sections are per feature; pattern-matching ids are built by the small helpers at the end of a section.
"""

# --- Shell (app.py) ---
URL = "url"
NAV = "nav"
NOTICE = "illustrative-notice"
PAGE_CONTAINER = "page-container"

# --- Map ---

# --- Region profile ---

# --- Compare ---

# --- Explore ---

# --- Methodology ---

# --- Export ---

# --- Data import and self-assessment ---

