"""Pure views: Dataset + parsed query -> dataclasses of figures and DataFrames (no ``import dash``)."""
