"""MIPEX-R Explorer: a Dash dashboard of regional migrant-integration governance scores."""

__version__ = "0.2.0"
