"""Pure views: a Dataset and a parsed query in, figures and DataFrames out (no Dash import)."""
