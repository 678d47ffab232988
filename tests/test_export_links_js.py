"""The browser's export links (``assets/45-export-links.js``) are the server's (:func:`export_hrefs`): the same
function run on many rows, page queries, sizes and languages gives the same hrefs, so the two cannot drift.

The script runs in Node (or headless Chromium when Node is missing; see :mod:`tests.export_links_js`).
"""

from __future__ import annotations

import json
import random

import pytest

from dashboard import constants, i18n, query
from dashboard.components import export_buttons as eb
from dashboard.i18n import web
from tests import export_links_js as js
from tests.export_links_js import NO_UPDATE

# Page queries as the address bar holds them, and the awkward ones Python's urllib has rules for.
SEARCHES = [
    None, "", "?", "??", "?&&", "?measure=overall", "measure=overall",
    "?measure=area:health&country=IT,ES&sort=desc", "?measure=area:housing&measure=area:health",
    "?regions=PT20,ES51,ITC4&edition=2021&since=none", "?region=PT20&size=a4", "?region=PT20&size=slide&tsort=x:asc",
    "?chart=map&view=x&page=/evil&region=PT20", "?lang=fr&region=PT20", "?region=PT20&lang=sv-SE&lang=de",
    "?lang=xx&regions=PT20", "?lang=&regions=PT20", "?region=", "?region", "?=x&region=PT20", "?a==b&b=c=d",
    "?regions=PT20+ES51;ITC4", "?regions=PT20%2BES51", "?regions=%20PT20%20,%C2%A0ES51%1C,%EF%BB%BFITC4",
    "?regions=PT20,PT20,ES51&r=ES51,ITC4&ids=DE21,FR10", "?regions=A,B,C,D,E,F", "?region=PT20&region=ES51",
    "?region=,;+", "?q=caf%C3%A9&x=%E2%82%AC%20euro", "?q=café&r=日本", "?q=%zz%4&r=%", "?q=%C3&r=%E2%82x",
    "?q=%ED%A0%80%C0%80%F5", "?q=%F0%9F%98%80😀", "?k%26ey=v%3Dal&sp+ace=a+b", "?1=one&measure=x&0=zero",
    "?axis=area&region=ES51", "?x=a/b:c,d~e_f.g-h!*'()@$[]", "?tsort=overall:asc&measure=overall",
    "?lang=fr&lang=", "?LANG=fr&region=PT20", "?region=PT20#frag", "?measure=%EF%BB%BFoverall&x=%EF%BB%BF",
    "?measure=&country=IT&measure=overall",
]
SPECS = [
    eb.make_spec("radar", {"region": "PT20"}, fixed={"axis": "phase"}, page="/region/PT20", brief=True),
    eb.make_spec("map", {"measure": "overall", "region": None}, page="/", graph_id="map-graph"),
    eb.make_spec("ranking", "?measure=overall&country=IT,ES&country=FR", view="explore", page="/explore"),
    eb.make_spec("heatmap", "?1=x&measure=area:health&0=y", view="explore", page="/explore"),
    eb.make_spec("compare", {"regions": ["PT20", "ES51"]}, fixed={"axis": "area"}, page="/compare", data=False,
                 full_dataset=False),
    eb.make_spec(None, {"regions": "PT20,ES51", "edition": 2021}, view="compare", page="/compare", brief=True),
    eb.make_spec(None, {"region": "PT20"}, view="region", page="/region/PT20", brief=True),
    eb.make_spec("target", {"region": "PT20"}, page="/region/PT20", data=False, full_dataset=False),
    eb.make_spec("outcomes", {"x": "overall", "y": "employment", "mode": "regions"}, view="policy-outcomes",
                 page="/outcomes"),
    eb.make_spec("map", {"measure": "overall"}, fixed={"region": "PT20", "lang": "fr", "size": "a4",
                                                       "page": "/x", "chart": "radar"}),
    eb.make_spec(None, {"regions": "A+B;C, D"}, brief=True, full_dataset=False),
    eb.make_spec("map", {"q": "a b&c=d/é", "lang": "de"}, page="/caf é?x=1"),
    eb.make_spec(None, None, data=False),
    eb.make_spec(None, "?regions=PT20", data=False, full_dataset=False),
    {**eb.make_spec("map", {"measure": "overall"}), "full": None, "page": None},
]
SIZES = ["slide", "a4", "A4", "", None, "poster"]
LANGS = ["en", "fr", "sv-SE", "PT_br", " de ", "el", "xx", "", None]


def _json(spec):
    return json.loads(json.dumps(spec))  # what the browser's dcc.Store holds


def _python(spec, search, size, lang):
    with i18n.use("en"):
        return eb.export_hrefs(spec, search, size, lang)


def test_the_script_mirrors_the_python_constants():
    consts = js.call("constants")
    assert consts == {
        "sizes": list(constants.EXPORT_SIZES), "imageFormats": list(constants.IMAGE_FORMATS),
        "dataFormats": list(constants.DATA_FORMATS), "maxCompare": constants.MAX_COMPARE,
        "rowKeys": list(eb.ROW_KEYS), "langKey": eb.LANG_KEY, "languages": list(i18n.LANGUAGES),
        "defaultLang": i18n.DEFAULT, "regionKeys": list(query.REGION_KEYS),
    }
    assert eb.DEFAULT_SIZE == consts["sizes"][0]


def test_hrefs_are_the_python_hrefs_on_every_listed_case():
    cases = [(_json(spec), search, size, lang) for spec in SPECS for search in SEARCHES
             for size in SIZES[:2] for lang in LANGS[:2]]
    cases += [(_json(SPECS[0]), search, size, lang) for search in SEARCHES[:8] for size in SIZES for lang in LANGS]
    got = js.run([("hrefs", list(case), "en") for case in cases])
    for case, browser in zip(cases, got):
        assert browser == _python(*case), case
    # the cases reach every kind of link and language, and rows without some of them
    assert any("lang=fr" in h for r in got for h in r.values()) and any("size=a4" in h for r in got for h in r.values())
    assert any("brief-questions" in r for r in got) and any("png" not in r for r in got) and {} in got


def test_hrefs_on_random_page_queries():
    """Random queries over the characters urllib's parsing and quoting treat specially (fixed seed)."""
    rng = random.Random(16)
    atoms = ["region", "regions", "r", "lang", "size", "measure", "page", "=", "=", "&", "&", "%", "2", "C", "3",
             "A", "9", "E", "F", "B", "f", "z", "+", ";", ",", " ", "é", "?", "/", ":", "~", "\u00a0", "PT20", "fr",
             "%C3%A9", "%20", "%2C", "%E2%82", "%F0%9F", "😀", "日", "#", "'", "*", "0", "1"]
    searches = ["?" * rng.randint(0, 2) + "".join(rng.choice(atoms) for _ in range(rng.randint(0, 14)))
                for _ in range(1500)]
    specs = [_json(SPECS[i]) for i in (0, 2, 5, 9, 10)]
    cases = [(specs[i % len(specs)], s, rng.choice(SIZES), rng.choice(LANGS)) for i, s in enumerate(searches)]
    got = js.run([("hrefs", list(case), "en") for case in cases])
    mismatches = [(case, browser, _python(*case)) for case, browser in zip(cases, got) if browser != _python(*case)]
    assert not mismatches, mismatches[:3]


def test_the_page_language_is_the_one_the_server_reads_from_the_page_address():
    cases = [(s, html) for s in ["", "?lang=fr", "?lang=sv-SE&x=1", "?lang=fr&lang=de", "?lang=fr&lang=xx",
                                 "?lang=xx", "?lang=", "?LANG=fr", "?lang=%20PT", "?x=1"]
             for html in ["en", "de", "el-GR", "", None]]
    got = js.run([("pageLanguage", [s, html], html) for s, html in cases])
    expected = [web.from_url("http://localhost/page" + s) or i18n.normalise(html) or i18n.DEFAULT
                for s, html in cases]
    assert got == expected
    assert "fr" in got and "de" in got and "el" in got and "en" in got


def _python_links(search, size, spec, link_ids, current, lang):
    """What the callback must return: update_hrefs' rules, no_update for a missing or unchanged link."""
    if not spec:
        return [NO_UPDATE] * len(link_ids)
    search = search if search and search.strip("?") else None
    hrefs = _python(spec, search, size or eb.DEFAULT_SIZE, lang)
    return [NO_UPDATE if hrefs.get(link["fmt"]) in (None, current[i]) else hrefs[link["fmt"]]
            for i, link in enumerate(link_ids)]


def test_the_callback_keeps_link_order_and_leaves_unchanged_links_alone():
    spec = _json(eb.make_spec("ranking", {"measure": "overall"}, view="explore", page="/explore"))
    link_ids = [{"type": "export-link", "fmt": f} for f in ("csv", "png", "brief-pdf", "svg", "full-csv")]
    layout = _python(spec, None, "slide", "en")
    current = [layout.get(link["fmt"], "#") for link in link_ids]
    moved, first_draw, same, a4, no_spec, swedish, swedish_page = js.run([
        ("links", ["?measure=area:health&country=IT", "a4", spec, link_ids, current], "en"),
        ("links", ["", None, spec, link_ids, current], "en"),
        ("links", ["?measure=overall", "slide", spec, link_ids, current], "en"),
        ("links", ["?measure=overall", "a4", spec, link_ids, current], "en"),
        ("links", ["?x=1", "slide", None, link_ids, current], "en"),
        ("links", ["?measure=overall&lang=sv", "slide", spec, link_ids, current], "en"),
        ("links", ["?measure=overall", "slide", spec, link_ids, current], "sv"),
    ])
    csv_href, png, brief, svg, full = moved
    assert csv_href == "/export/data.csv?view=explore&measure=area:health&country=IT&page=/explore"
    assert png.endswith("measure=area:health&country=IT&size=a4&page=/explore")
    assert svg == png.replace("/chart.png?", "/chart.svg?")
    assert brief == NO_UPDATE, "a link the row does not have"
    assert full == NO_UPDATE, "the full dataset's link does not depend on the page's query"
    # the page's first draw: the address the layout was made for changes no link
    assert first_draw == same == no_spec == [NO_UPDATE] * 5
    assert a4[0] == NO_UPDATE and a4[1].endswith("measure=overall&size=a4&page=/explore")
    # a page in Swedish: links in Swedish, from the address or else from <html lang>
    assert swedish[0].endswith("&page=/explore&lang=sv") and swedish_page == swedish


def test_the_callback_is_update_hrefs_on_many_cases():
    link_ids = [{"fmt": f} for f in ("png", "svg", "pdf", "csv", "xlsx", "full-csv", "full-xlsx", "brief-pdf",
                                     "brief-html", "brief-questions", "other")]
    calls, expected = [], []
    for spec in [_json(s) for s in SPECS] + [{}, None]:
        layout = _python(spec, None, "slide", "en") if spec else {}
        current = [layout.get(link["fmt"], "#") for link in link_ids]
        for search in SEARCHES[:20]:
            for size in ("slide", "a4", None):
                for html_lang in ("en", "fr"):
                    calls.append(("links", [search, size, spec, link_ids, current], html_lang))
                    lang = web.from_url("http://localhost/p" + (search or "")) or html_lang
                    expected.append(_python_links(search, size, spec, link_ids, current, lang))
    assert js.run(calls) == expected
    assert any(h != NO_UPDATE for row in expected for h in row) and any(NO_UPDATE in row for row in expected)


@pytest.mark.parametrize("fixed", [None, {"axis": "phase"}])
def test_spec_keeps_the_page_order_of_its_keys(fixed):
    spec = eb.make_spec("map", "?measure=overall&1=x&country=IT&country=ES", fixed=fixed, page="/")
    assert spec["params"] == [["measure", "overall"], ["1", "x"], ["country", ["IT", "ES"]]]
    assert spec["fixed"] == ([["axis", "phase"]] if fixed else [])
    csv_href = eb.export_hrefs(spec)["csv"]
    assert csv_href.startswith("/export/data.csv?view=map&measure=overall&1=x&country=IT&country=ES")
