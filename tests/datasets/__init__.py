"""Tests of the dataset store (dashboard/datasets, its CLI and its routes)."""
