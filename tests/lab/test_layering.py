"""The Lab's domain package stays below the screens: it imports no Dash, no screen module, no route."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.source import parse

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("dash", "dash_bootstrap_components", "plotly", "dashboard.app", "dashboard.callbacks",
             "dashboard.components", "dashboard.pages", "dashboard.routes", "dashboard.cli", "dashboard.views",
             "dashboard.figures", "dashboard.export", "dashboard.state")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_lab_imports_only_downwards_and_stays_small():
    files = sorted((ROOT / "dashboard" / "lab").glob("*.py"))
    assert {p.name for p in files} >= {"guard.py", "nuts.py", "records.py", "repository.py", "validation.py"}
    for path in files:
        bad = {n for n in _imports(path) for f in FORBIDDEN if n == f or n.startswith(f + ".")}
        assert not bad, f"lab/{path.name} imports upwards: {sorted(bad)}"
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 600, f"lab/{path.name} is over 600 lines"
