"""Pure views: a :class:`~dashboard.data.Dataset` and a parsed query → a dataclass of figures and DataFrames,
one module per screen. No Dash import here: callbacks, pages and exports turn these into components or files."""
