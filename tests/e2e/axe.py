"""axe-core in the browser tests: inject the engine (installed from the npm registry by
``scripts/setup.sh --tests`` into ``.cache/npm``; never a CDN) and run it on the page in the browser.

``run_axe(driver)`` returns axe's violations; ``serious_or_worse(violations)`` keeps the critical and
serious ones; ``describe(violations)`` is one line per rule and node for a failure message.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = Path(os.environ.get("AXE_CORE_JS", ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"))
#: WCAG 2.0/2.1 A and AA rules (the EU Web Accessibility Directive's level) plus axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@lru_cache(maxsize=1)
def axe_source() -> str:
    if not AXE_JS.exists():
        reason = f"axe-core not installed ({AXE_JS}); ./scripts/setup.sh --tests installs it from npm"
        if os.environ.get("CI"):  # in CI a missing engine is a failure, never a silent skip
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(driver, context: str | None = None) -> list[dict]:
    """Inject axe (once per document) and return its violations for ``context`` (default: the document)."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(axe_source())
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        """
        const [ctx, tags, done] = arguments;
        axe.run(ctx || document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
          .then(r => done({ok: r.violations.map(v => ({
              id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map(n => ({target: n.target, impact: n.impact, summary: n.failureSummary}))}))}))
          .catch(e => done({error: String(e)}));
        """,
        context, TAGS,
    )
    if "error" in result:
        raise AssertionError(f"axe-core failed: {result['error']}")
    return result["ok"]


def serious_or_worse(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("critical", "serious")]


def count_nodes(violations: list[dict]) -> int:
    return sum(len(v["nodes"]) for v in violations)


def describe(violations: list[dict], limit: int = 8) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}")
        for node in v["nodes"][:limit]:
            lines.append(f"    {node['target']}: {(node['summary'] or '').splitlines()[-1:]}")
    return "\n".join(lines)
