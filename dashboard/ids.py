"""Every Dash component id, in one module.

Pages, components, callbacks and browser tests import ids from here, never spell them as strings.
Sections are per feature; pattern-matching ids are built by the small helpers at the end of a section.
"""

# --- Shell (app.py) ---
URL = "url"
NAV = "nav"
NAV_TOGGLER = "nav-toggler"              # the menu button on narrow screens
NAV_COLLAPSE = "nav-collapse"            # the menu it opens and closes
LANG_MENU = "lang-menu"                  # the language switch in the menu
MAIN = "main"                            # the <main> landmark (target of the skip link)
NOTICE = "illustrative-notice"
EXPORT_STATUS = "export-status"  # the shell's status line of slow downloads (assets/50-export-progress.js)
WORKSPACE_NOTICE = "workspace-notice"    # banner: this browser shows its private workspace
PAGE_CONTAINER = "page-container"


def lang_link(code: str) -> str:
    """The switch's link to language ``code`` (``lang-link-sv``)."""
    return f"lang-link-{code}"


# --- Map ---
MAP_LOCATION = "map-location"            # page-local dcc.Location (refresh=False): query ?measure=&region=
MAP_MEASURE = "map-measure"              # measure selector (components.controls.measure_selector)
MAP_NOTE = "map-note"                    # visible note when the URL asked for an unknown measure/region
MAP_GRAPH = "map-graph"                  # the choropleth dcc.Graph
MAP_SELECTED = "map-selected"            # dcc.Store: selected region_id ("" for none); set by assets/30-map-list.js too
MAP_REGION_LIST = "map-region-list"      # sorted list of all regions beside the map (buttons with data-region)
MAP_LIST_META = "map-list-meta"          # dcc.Store: the list's static part (ids, names, countries), sent once
MAP_LIST_ROWS = "map-list-rows"          # dcc.Store: the list's order, ranks and scores for the measure shown
MAP_LIST_DRAWN = "map-list-drawn"        # dcc.Store: output of the clientside list update (stays empty)
MAP_PANEL = "map-panel"                  # side panel of the selected region
MAP_PANEL_RADAR = "map-panel-radar"      # mini radar inside the side panel
MAP_PANEL_MEASURE_TYPE = "map-panel-measure"  # the panel's line on the measure shown (updated on its own)
MAP_HEADING = "map-heading"              # the page heading (counts the regions loaded)
MAP_EDITION = "map-edition"              # edition shown (only with two or more editions)
MAP_SINCE = "map-since"                  # "" = scores; an earlier edition = the change since it
MAP_SEARCH = "map-search"                # "Find my region": name or code (datalist filled in the browser)
MAP_SEARCH_OPTIONS = "map-search-options"  # the search box's <datalist> (filled from MAP_LIST_META, clientside)
MAP_SEARCH_NOTE = "map-search-note"      # what the search found (or why nothing), announced politely
MAP_PANEL_SHOWN = "map-panel-shown"      # dcc.Store: output of the clientside "panel into view" (stays empty)
MAP_LEGEND = "map-legend"                # the map's colour legend, drawn in the browser (assets/33-map-legend.js)
MAP_VALUES = "map-values"                # dcc.Store: where every measure's change is served ({url, edition}) or None
MAP_VALUES_LOADING = "map-values-loading"  # dcc.Store: output of the clientside fetch of those (stays empty)
MAP_MEASURE_WANTED = "map-measure-wanted"  # dcc.Store: a measure change the server answers ({measure, whole, at})


def map_panel_measure() -> dict:
    """Id of the side panel's measure line (a pattern id so a measure change can update it when it exists)."""
    return {"type": MAP_PANEL_MEASURE_TYPE, "index": "line"}


# --- Region profile ---
REGION_LOCATION = "region-location"      # page-local dcc.Location (refresh="callback-nav") for the region jump
REGION_SELECT = "region-select"          # "another region" selector on the profile page
REGION_HEADER = "region-header"          # name, score, group and position block
REGION_SUMMARY = "region-summary"        # generated plain-words summary
REGION_RADAR_PREFIX = "region-radar"     # + "-<axis>": one radar per axis with >= 3 spokes
REGION_TARGET_BARS = "region-target-bars"
REGION_STRENGTHS = "region-strengths"
REGION_WEAKNESSES = "region-weaknesses"
REGION_STATS = "region-stats"            # context statistics table
REGION_SIMILAR = "region-similar"        # regions with a similar profile
REGION_NOT_FOUND = "region-not-found"
REGION_DRILLDOWN = "region-drilldown"    # the questions behind each dimension (components.drilldown)
REGION_PUBLISHED = "region-published"    # a region's published description (the Azores only)
REGION_OUTCOMES = "region-outcomes"      # the profile's "policy against outcomes" section
REGION_EDITION = "region-edition"        # edition shown (only with two or more editions)
REGION_SINCE = "region-since"            # the earlier edition the change is measured from
REGION_EDITIONS = "region-editions"      # the table of scores per edition with the change


def region_radar(axis: str) -> str:
    """Id of the profile's radar graph for one axis (``element``, ``phase``, ``area``)."""
    return f"{REGION_RADAR_PREFIX}-{axis}"


# --- Compare ---
COMPARE_URL = "compare-url"  # page-local dcc.Location (refresh=False) that mirrors the selection in ?regions=
COMPARE_REGIONS = "compare-regions"
COMPARE_NOTE = "compare-note"
COMPARE_CONTENT = "compare-content"
COMPARE_BARS_AREAS = "compare-bars-areas"
COMPARE_BARS_GOVERNANCE = "compare-bars-governance"
COMPARE_TARGET = "compare-target-bars"
COMPARE_TABLE = "compare-table"
COMPARE_OUTCOMES = "compare-outcomes"  # the chosen regions' outcomes beside the all-region average
COMPARE_EDITION = "compare-edition"      # edition shown (only with two or more editions)
COMPARE_SINCE = "compare-since"          # the earlier edition of the change columns ("" = none)
COMPARE_SOURCE = "compare-source"        # the source line under the table (states the edition shown)


def compare_radar(axis: str) -> str:
    """Id of Compare's overlaid radar for one axis (``element``, ``phase``, ``area``)."""
    return f"compare-radar-{axis}"


# --- Explore ---
EXPLORE_URL = "explore-url"  # page-local dcc.Location (refresh=False) that mirrors every filter in the query
EXPLORE_MEASURE = "explore-measure"
EXPLORE_COUNTRY = "explore-country"
EXPLORE_AXIS = "explore-axis"
EXPLORE_AREA = "explore-area"
EXPLORE_TARGET = "explore-target"
EXPLORE_SORT = "explore-sort"
EXPLORE_NOTE = "explore-note"
EXPLORE_RANKING = "explore-ranking"
EXPLORE_HEATMAP = "explore-heatmap"
EXPLORE_TABLE = "explore-table"
EXPLORE_TABLE_ROWS = "explore-table-rows"  # the table's rows on their way to the grid (callbacks.explore)
EXPLORE_TABLE_SORT = "explore-table-sort"  # the table's column sort as in the URL (``tsort``), kept in a store
EXPLORE_PAGER = "explore-pager"  # page control of a long ranking (hidden at 50 regions or fewer)
EXPLORE_PREV = "explore-prev"
EXPLORE_NEXT = "explore-next"
EXPLORE_PAGER_TEXT = "explore-pager-text"
EXPLORE_PAGE = "explore-page"  # store: the ranking's page shown


def chart_text(graph_id: str) -> str:
    """Id of the text alternative beside a chart (its summary and, where given, its table of values)."""
    return f"{graph_id}-text"


REGION_SCORE_TABLE = "region-score-table"  # the profile's scores as a table (the radars' text alternative)


# --- Methodology ---
METHODOLOGY_GLOSSARY_SOURCES = "methodology-glossary-sources"  # each context statistic's Eurostat table
METHODOLOGY_RULE = "methodology-rule"
METHODOLOGY_FRAMEWORK = "methodology-framework"  # the indicator (framework) table
METHODOLOGY_DATA = "data"  # anchor of the data-provenance section: /methodology#data


# --- Export ---
EXPORT_ROW_TYPE = "export-row"          # pattern-matching: the row of download links under a chart
EXPORT_LINK_TYPE = "export-link"        # pattern-matching: one link (server PNG/SVG/PDF, CSV/XLSX, brief)
EXPORT_SIZE_TYPE = "export-size"        # pattern-matching: slide / A4 selector of a row
EXPORT_SPEC_TYPE = "export-spec"        # pattern-matching: dcc.Store with what the row exports
EXPORT_CLIENT_TYPE = "export-client"    # pattern-matching: in-browser PNG/SVG button (no Chromium needed)
EXPORT_CLIENT_DONE_TYPE = "export-client-done"  # pattern-matching: dummy output of the in-browser download


def export_row(loc: str, key: str) -> dict:
    """Id of one export row; ``loc`` is the id of the dcc.Location whose query the row follows."""
    return {"type": EXPORT_ROW_TYPE, "loc": loc, "key": key}


def export_link(loc: str, key: str, fmt: str) -> dict:
    """``fmt``: png, svg, pdf, csv, xlsx, full-csv, full-xlsx, brief-pdf, brief-html."""
    return {"type": EXPORT_LINK_TYPE, "loc": loc, "key": key, "fmt": fmt}


def export_size(loc: str, key: str) -> dict:
    return {"type": EXPORT_SIZE_TYPE, "loc": loc, "key": key}


def export_spec(loc: str, key: str) -> dict:
    return {"type": EXPORT_SPEC_TYPE, "loc": loc, "key": key}


def export_client(loc: str, key: str, fmt: str) -> dict:
    return {"type": EXPORT_CLIENT_TYPE, "loc": loc, "key": key, "fmt": fmt}


def export_client_done(loc: str, key: str) -> dict:
    return {"type": EXPORT_CLIENT_DONE_TYPE, "loc": loc, "key": key}


# Image buttons of figures built on the page from the user's input (self-assessment radars, Lab map): the
# server renders the figure the page shows and sends it through the scope's dcc.Download.
IMAGE_BUTTON_TYPE = "image-button"  # pattern-matching: {"scope", "key" (which chart), "fmt"}


def image_button(scope: str, key: str, fmt: str) -> dict:
    return {"type": IMAGE_BUTTON_TYPE, "scope": scope, "key": key, "fmt": fmt}


def image_download(scope: str) -> str:
    return f"{scope}-image-download"


def image_status(scope: str) -> str:
    return f"{scope}-image-status"


# --- Data import and self-assessment ---
DATA_UPLOAD_TYPE = "data-upload"  # pattern-matching type: one dcc.Upload per dataset part
DATA_DOWNLOAD_BUTTON_TYPE = "data-download-button"  # pattern-matching type: one raw-file download per part
DATA_IMPORT_ILLUSTRATIVE = "data-import-illustrative"
DATA_ALERT = "data-alert"
DATA_SUMMARY = "data-summary"
DATA_RESET = "data-reset"                # shared data back to the app's folder (admin token)
DATA_DOWNLOAD = "data-download"
DATA_TABLES_UPLOAD = "data-tables-upload"  # published score tables (several files)
DATA_EDITION = "data-edition"            # edition (year) of tables without an edition column
DATA_SOURCE = "data-source"              # where the imported tables come from (free text)
DATA_PREVIEW = "data-preview"            # what the check recognised
DATA_PENDING = "data-pending"            # dcc.Store: which upload the action buttons act on
DATA_KEEP_PRIVATE = "data-keep-private"  # button: load the checked files into my private workspace
DATA_PUBLISH = "data-publish"            # button: publish the checked files for everyone (admin token)
DATA_PUBLISH_WORKSPACE = "data-publish-workspace"  # button: publish my workspace for everyone (admin token)
DATA_TOKEN = "data-token"                # admin token input (password)
DATA_GENERATION = "data-generation"      # dcc.Store: the shared data's generation when the page was opened
DATA_LEAVE = "data-leave"                # button: leave my private workspace
DATA_ROLLBACK = "data-rollback"          # button: back to the previously published shared data (admin token)
DATA_VERSIONS = "data-versions"          # list of shared versions
SA_NAME = "sa-region-name"
SA_REGION_ID = "sa-region-id"
SA_ANSWER_TYPE = "sa-answer"  # pattern-matching type: one answer control per indicator
SA_SUMMARY = "sa-summary"
SA_NOTE = "sa-note"
SA_DOWNLOAD_BUTTON = "sa-download-button"  # button: save my answers as CSV
SA_DOWNLOAD_XLSX_BUTTON = "sa-download-xlsx-button"  # button: save my answers as XLSX
SA_DOWNLOAD = "sa-download"
SA_UPLOAD = "sa-upload"                  # dcc.Upload: resume from a saved answers file
SA_UPLOAD_STATUS = "sa-upload-status"    # what the upload restored, or why the file was refused
SA_PROGRESS = "sa-progress"              # answered n of 61, per section
SA_GAINS = "sa-gains"                    # what would move the score most
SA_PEERS = "sa-peers"                    # dropdown: 1–3 peer regions
SA_PEER_TABLE = "sa-peer-table"          # the self-assessed scores beside the peers'
SA_BRIEF_PDF = "sa-brief-pdf"            # button: the brief as PDF
SA_BRIEF_HTML = "sa-brief-html"          # button: the brief as HTML
SA_BRIEF_DOWNLOAD = "sa-brief-download"
SA_BRIEF_STATUS = "sa-brief-status"


def data_upload(resource: str) -> dict:
    return {"type": DATA_UPLOAD_TYPE, "resource": resource}


def data_download_button(resource: str) -> dict:
    return {"type": DATA_DOWNLOAD_BUTTON_TYPE, "resource": resource}


def sa_answer(indicator_id: str) -> dict:
    return {"type": SA_ANSWER_TYPE, "indicator": indicator_id}


def sa_radar(axis: str) -> str:
    """Id of the self-assessment radar for one axis (``element``, ``phase``, ``area``)."""
    return f"sa-radar-{axis}"



# --- Integration Lab ---
LAB_STATUS = "lab-status"
LAB_URL = "lab-url"  # the /lab page's dcc.Location: the filters in the address bar
LAB_SEARCH = "lab-search"
LAB_FILTER_REGION = "lab-filter-region"
LAB_FILTER_COUNTRY = "lab-filter-country"
LAB_FILTER_AREA = "lab-filter-area"
LAB_FILTER_TARGET = "lab-filter-target"
LAB_FILTER_ASPECT = "lab-filter-aspect"
LAB_CLEAR_FILTERS = "lab-clear-filters"
LAB_MAP = "lab-map"
LAB_MAP_CREDIT = "lab-map-credit"
LAB_RESULT_COUNT = "lab-result-count"
LAB_RESULTS = "lab-results"
LAB_EXPORT_CSV = "lab-export-csv"
LAB_EXPORT_JSON = "lab-export-json"
LAB_SHARE_LINK = "lab-share-link"
LAB_CONTRIBUTE_LINK = "lab-contribute-link"
LAB_PRACTICE = "lab-practice"
LAB_PRACTICE_ASPECTS = "lab-practice-aspects"
LAB_PRACTICE_PROFILE_LINK = "lab-practice-profile-link"
LAB_PRACTICE_PROVENANCE = "lab-practice-provenance"
LAB_FORM = "lab-form"
LAB_FORM_SUBMIT = "lab-form-submit"
LAB_FORM_RESULT = "lab-form-result"
LAB_FORM_FIELD = "lab-form-field"  # pattern-matching type: {"type": LAB_FORM_FIELD, "field": name}
LAB_FORM_FEEDBACK = "lab-form-feedback"  # pattern-matching type: {"type": LAB_FORM_FEEDBACK, "field": name}
LAB_FORM_CHOICE = "lab-form-choice"  # pattern-matching type of a searchable dropdown field (no class_name prop)
LAB_FORM_NOTE = "lab-form-region-note"


def lab_field(name: str) -> dict:
    """Id of the contribution-form input for questionnaire field ``name``."""
    return {"type": LAB_FORM_FIELD, "field": name}


def lab_choice(name: str) -> dict:
    """Id of a contribution-form field answered with a searchable dropdown (the region)."""
    return {"type": LAB_FORM_CHOICE, "field": name}


def lab_feedback(name: str) -> dict:
    """Id of the error text shown under contribution-form field ``name``."""
    return {"type": LAB_FORM_FEEDBACK, "field": name}


# --- Policy against outcomes (/outcomes) ---
OUTCOMES_URL = "outcomes-url"            # page-local dcc.Location (refresh=False): ?x=&y=&mode=&region=
OUTCOMES_X = "outcomes-x"                # governance dimension selector
OUTCOMES_Y = "outcomes-y"                # outcome indicator selector
OUTCOMES_MODE = "outcomes-mode"          # value / gap to nationals
OUTCOMES_REGION = "outcomes-region"      # highlighted region
OUTCOMES_GRAPH = "outcomes-graph"        # the scatter
OUTCOMES_SUMMARY = "outcomes-summary"    # r with n, averages and the caveat, in words
OUTCOMES_TABLE = "outcomes-table"        # the table alternative to the scatter
OUTCOMES_NOTE = "outcomes-note"          # notes on values that were not understood
