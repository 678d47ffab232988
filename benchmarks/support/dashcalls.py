"""Talk to a Dash app over HTTP the way its renderer does: layout, dependencies, callback requests.

Callback requests are built from ``/_dash-dependencies`` and the components of a page's layout (no id is
hard-coded): :func:`page_callbacks` finds the callbacks a page's controls drive and, for each, a series of
request bodies that change its first selectable input through the values its component offers.
"""

from __future__ import annotations

import gzip
import http.client
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import brotli

ACCEPT = "br, gzip"
#: Input properties a person changes by choosing (never clicks, uploads or downloads: those have side effects).
CHOICE_PROPS = ("value",)
#: Component types whose callbacks are not measured (file downloads).
SKIP_OUTPUT_TYPES = ("Download",)
ROUTER = ".._pages_content.children..._pages_store.data.."
#: Stores a clientside callback fills from a choice control, when the browser cannot answer the change itself
#: (store id → (control id, the value the browser writes for a choice)): the server callback they trigger is a
#: choice's callback too. The map's measure: the browser recolours the map itself when it holds every measure's
#: values (shared data, up to 100 regions), else asks the server through this store (dashboard.callbacks.map).
FED_STORES = {"map-measure-wanted": ("map-measure", lambda v: {"measure": v, "whole": True, "at": 0})}


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    raw: bytes          # bytes on the wire (compressed when the server compressed)
    body: bytes         # decoded body
    seconds: float


class Client:
    """One keep-alive HTTP/1.1 connection to ``base`` (reconnects when the server closes it)."""

    def __init__(self, base: str, timeout: float = 60):
        parts = urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, accept: str | None = ACCEPT,
                headers: dict | None = None) -> Reply:
        hdrs = dict(headers or {})
        if accept:
            hdrs["Accept-Encoding"] = accept
        if body is not None:
            hdrs.setdefault("Content-Type", "application/json")
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            t0 = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=hdrs)
                resp = self.conn.getresponse()
                raw = resp.read()
            except (http.client.HTTPException, ConnectionError):
                self.close()
                if attempt == 2:
                    raise
                continue
            seconds = time.perf_counter() - t0
            headers_ = {k.lower(): v for k, v in resp.getheaders()}
            if headers_.get("connection", "").lower() == "close":
                self.close()
            return Reply(resp.status, headers_, raw, decode(headers_.get("content-encoding"), raw), seconds)
        raise AssertionError("unreachable")

    def get(self, path: str, accept: str | None = ACCEPT) -> Reply:
        return self.request("GET", path, accept=accept)

    def post_json(self, path: str, payload: Any, accept: str | None = ACCEPT) -> Reply:
        return self.request("POST", path, json.dumps(payload).encode(), accept=accept)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def decode(encoding: str | None, raw: bytes) -> bytes:
    if encoding == "br":
        return brotli.decompress(raw)
    if encoding == "gzip":
        return gzip.decompress(raw)
    return raw


# ---------------------------------------------------------------------------------------------
# Layout trees and ids
# ---------------------------------------------------------------------------------------------

def is_component(obj: Any) -> bool:
    return isinstance(obj, dict) and "type" in obj and "namespace" in obj and "props" in obj


def components(tree: Any):
    """Every component (``{"type", "namespace", "props"}``) in a layout tree, depth first."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if is_component(node):
            yield node
            stack.extend(node["props"].values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def id_key(component_id: Any) -> str:
    """Dash's string form of an id (dict ids: JSON with sorted keys, no spaces)."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return str(component_id)


def parse_dep_id(text: str) -> str | dict:
    return json.loads(text) if text.startswith("{") else text


def wildcard(dep_id: str | dict) -> str | None:
    """``ALL``/``MATCH``/``ALLSMALLER`` when the dependency id is a pattern, else None."""
    if isinstance(dep_id, dict):
        for value in dep_id.values():
            if isinstance(value, list) and value:
                return value[0]
    return None


def matches(pattern: dict, component_id: Any) -> bool:
    if not isinstance(component_id, dict) or set(component_id) != set(pattern):
        return False
    return all(isinstance(v, list) or component_id[k] == v for k, v in pattern.items())


class Page:
    """The components of a rendered page (shell + page content), by id."""

    def __init__(self, *trees: Any, pathname: str = "/", search: str = ""):
        self.by_id: dict[str, dict] = {}
        self.pathname, self.search = pathname, search
        for tree in trees:
            for comp in components(tree):
                if "id" in comp["props"]:
                    self.by_id[id_key(comp["props"]["id"])] = comp

    def find(self, dep_id: str | dict) -> list[dict]:
        if isinstance(dep_id, dict):
            return [c for c in self.by_id.values() if matches(dep_id, c["props"]["id"])]
        comp = self.by_id.get(dep_id)
        return [comp] if comp else []

    def value(self, comp: dict, prop: str) -> Any:
        props = comp["props"]
        if prop in props:
            return props[prop]
        if comp["type"] == "Location":  # the browser fills these from the address
            return {"pathname": self.pathname, "search": self.search, "hash": "", "href": None}.get(prop)
        return None


def choices(comp: dict, current: Any) -> list[Any]:
    """Values a person could choose in this component, the current one first (empty when none is known)."""
    options = comp["props"].get("options")
    values: list[Any] = []
    if isinstance(options, dict):
        values = list(options)
    elif isinstance(options, list):
        for opt in options:
            if isinstance(opt, dict):
                if not opt.get("disabled") and "value" in opt:
                    values.append(opt["value"])
            else:
                values.append(opt)
    if isinstance(current, list):  # a multi-select: add or drop one choice
        extra = [v for v in values if v not in current]
        if len(current) > 1:
            return [current, current[:-1]]
        return [current, current + extra[:1]] if extra else []
    others = [v for v in values if v != current]
    return ([current] + others) if others else []


# ---------------------------------------------------------------------------------------------
# Callback requests
# ---------------------------------------------------------------------------------------------

@dataclass
class Callback:
    name: str               # "<trigger id>.<property>"
    output: str
    bodies: list[dict]      # request bodies, cycling through the trigger's choices


def _outputs(dep: dict, page: Page) -> list | dict | None:
    specs = [p for p in dep["output"].strip(".").split("...")] if dep["output"].startswith("..") else [dep["output"]]
    outs = []
    for spec in specs:
        raw_id, prop = spec.rsplit(".", 1)
        dep_id = parse_dep_id(raw_id)
        found = page.find(dep_id)
        if (not found and not wildcard(dep_id)) or any(c["type"] in SKIP_OUTPUT_TYPES for c in found):
            return None
        if wildcard(dep_id):
            outs.append([{"id": c["props"]["id"], "property": prop} for c in found])
        else:
            outs.append({"id": dep_id, "property": prop})
    return outs if dep["output"].startswith("..") else outs[0]


def _entries(items: list[dict], page: Page) -> list | None:
    out = []
    for item in items:
        dep_id = parse_dep_id(item["id"])
        found = page.find(dep_id)
        if wildcard(dep_id):
            out.append([{"id": c["props"]["id"], "property": item["property"],
                         "value": page.value(c, item["property"])} for c in found])
        elif found:
            out.append({"id": dep_id, "property": item["property"], "value": page.value(found[0], item["property"])})
        else:
            return None
    return out


def page_callbacks(deps: list[dict], page: Page, max_variants: int = 6) -> list[Callback]:
    """The server callbacks this page's choice controls drive, each with request bodies to replay."""
    found = []
    for dep in deps:
        if dep.get("clientside_function") or dep["output"] == ROUTER or "@" in dep["output"]:
            continue  # clientside, the router (measured per page), duplicate outputs (actions, not views)
        ids = [parse_dep_id(i["id"]) for i in dep["inputs"] + dep["state"]]
        if any(wildcard(i) not in (None, "ALL") for i in ids) or "MATCH" in dep["output"]:
            continue
        outputs = _outputs(dep, page)
        inputs = _entries(dep["inputs"], page)
        state = _entries(dep["state"], page)
        if outputs is None or inputs is None or state is None:
            continue
        trigger = None
        for n, item in enumerate(dep["inputs"]):
            if item["property"] not in CHOICE_PROPS:
                continue
            entry = inputs[n]
            comps = page.find(parse_dep_id(item["id"]))
            if isinstance(entry, list):  # ALL: vary the first component that offers choices
                for k, comp in enumerate(comps):
                    options = choices(comp, entry[k]["value"])
                    if options:
                        trigger = (n, k, options, comp["props"]["id"])
                        break
            elif comps:
                options = choices(comps[0], entry["value"])
                if options:
                    trigger = (n, None, options, entry["id"])
            if trigger:
                break
        for n, item in enumerate(dep["inputs"]):
            fed = FED_STORES.get(item["id"]) if item["property"] == "data" and trigger is None else None
            control = page.find(fed[0]) if fed else []
            options = choices(control[0], control[0]["props"].get("value")) if control else []
            if options:
                trigger = (n, None, [fed[1](v) for v in options], item["id"])
                break
        if trigger is None:
            continue
        n, k, options, trigger_id = trigger
        bodies = []
        for value in (options * max_variants)[:max_variants]:
            body_inputs = json.loads(json.dumps(inputs))
            if k is None:
                body_inputs[n]["value"] = value
            else:
                body_inputs[n][k]["value"] = value
            bodies.append({"output": dep["output"], "outputs": outputs, "inputs": body_inputs, "state": state,
                           "changedPropIds": [f"{id_key(trigger_id)}.{dep['inputs'][n]['property']}"]})
        name = f"{trigger_id if isinstance(trigger_id, str) else trigger_id.get('type', 'pattern')}"
        found.append(Callback(name=name, output=dep["output"], bodies=bodies))
    return found


def router_body(pathname: str, search: str = "") -> dict:
    """The request Dash Pages' renderer sends to render a page into ``_pages_content``."""
    return {"output": ROUTER,
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "state": [], "changedPropIds": ["_pages_location.pathname"]}


def render_page(client: Client, deps: list[dict], shell: Any, path: str) -> tuple[Page, dict | None]:
    """The page at ``path`` (Pages apps: through the router callback) and the router body (None otherwise)."""
    pathname, _, query = path.partition("?")
    search = f"?{query}" if query else ""
    if not any(d["output"] == ROUTER for d in deps):
        return Page(shell, pathname=pathname, search=search), None
    body = router_body(pathname, search)
    reply = client.post_json("/_dash-update-component", body)
    if reply.status != 200:
        raise RuntimeError(f"page {path}: HTTP {reply.status}")
    content = json.loads(reply.body)["response"]["_pages_content"]["children"]
    return Page(shell, content, pathname=pathname, search=search), body


def open_page(client: Client, path: str) -> tuple[list[dict], Page, dict | None]:
    """``/_dash-dependencies``, then the page at ``path`` as the browser gets it (:func:`render_page` over
    ``/_dash-layout``): (dependencies, page, router body or None)."""
    deps = json.loads(client.get("/_dash-dependencies").body)
    shell = json.loads(client.get("/_dash-layout").body)
    page, router = render_page(client, deps, shell, path)
    return deps, page, router


def initial_calls(deps: list[dict], page: Page) -> list[dict]:
    """Bodies of the callbacks the renderer fires when the page loads (not ``prevent_initial_call``)."""
    bodies = []
    for dep in deps:
        if dep.get("clientside_function") or dep.get("prevent_initial_call") or dep["output"] == ROUTER:
            continue
        if "@" in dep["output"] or "MATCH" in dep["output"]:
            continue
        outputs, inputs, state = _outputs(dep, page), _entries(dep["inputs"], page), _entries(dep["state"], page)
        if outputs is None or inputs is None or state is None:
            continue
        bodies.append({"output": dep["output"], "outputs": outputs, "inputs": inputs, "state": state,
                       "changedPropIds": []})
    return bodies
