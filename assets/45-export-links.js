/* Export rows' links, made in the browser (dashboard/callbacks/export.py, dashboard/components/export_buttons.py).
 * When a page rewrites its query or the user picks another image size, a row's PNG/SVG/PDF, CSV/XLSX and brief
 * links are rebuilt here, with no request to the server. hrefs() is a line-by-line copy of the Python
 * export_hrefs() (query parsing and encoding included, as Python's urllib does them), which stays the source of
 * the links the layout starts with; tests/test_export_links_js.py runs both on many cases so they cannot drift.
 * The language of the links: the page address's lang= (what the server reads from the Referer), else <html lang>.
 * Loaded by the page as an asset (no eval, no inline script: the CSP holds); Node can require() it for the tests. */
(function (root) {
    "use strict";
    // Mirrors of Python constants (the tests compare them with dashboard.constants / export_buttons / i18n).
    var C = {
        sizes: ["slide", "a4"],                                     // constants.EXPORT_SIZES (first = default)
        imageFormats: ["png", "svg", "pdf"],                        // constants.IMAGE_FORMATS
        dataFormats: ["csv", "xlsx"],                               // constants.DATA_FORMATS
        maxCompare: 4,                                              // constants.MAX_COMPARE
        rowKeys: ["size", "page", "chart", "view", "tsort"],        // export_buttons.ROW_KEYS
        langKey: "lang",                                            // export_buttons.LANG_KEY
        languages: ["en", "fr", "de", "es", "it", "el", "pt", "sv"], // i18n.LANGUAGES
        defaultLang: "en",                                          // i18n.DEFAULT
        regionKeys: ["region", "regions", "r", "ids"]               // query.REGION_KEYS
    };

    // Python's str.strip(): its whitespace set, not JavaScript's (trim() also strips U+FEFF, keeps U+001C-1F, U+0085)
    var PY_SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
    var PY_STRIP = new RegExp("^[" + PY_SPACE + "]+|[" + PY_SPACE + "]+$", "g");
    function pyStrip(text) { return text.replace(PY_STRIP, ""); }

    // urllib.parse.unquote(errors="replace"): valid %XX escapes become bytes, decoded as UTF-8 together with the
    // ASCII around them (a bad sequence: U+FFFD, as Python's decoder); other characters and bad escapes stay.
    var decoder = null;
    function unquote(text) {
        if (text.indexOf("%") < 0) { return text; }
        decoder = decoder || new TextDecoder("utf-8", {ignoreBOM: true});
        var out = "", bytes = [], i = 0;
        function flush() {
            if (bytes.length) { out += decoder.decode(new Uint8Array(bytes)); bytes = []; }
        }
        while (i < text.length) {
            var code = text.charCodeAt(i);
            if (code === 37 && /^[0-9A-Fa-f]{2}$/.test(text.substr(i + 1, 2))) {
                bytes.push(parseInt(text.substr(i + 1, 2), 16));
                i += 3;
            } else if (code < 128) {
                bytes.push(code);
                i += 1;
            } else {
                flush();
                out += text.charAt(i);
                i += 1;
            }
        }
        flush();
        return out;
    }

    // urllib.parse.parse_qs(keep_blank_values=False): key -> [values], keys in order of first appearance
    function parseQs(search) {
        var out = new Map();
        var qs = (search || "").replace(/^\?+/, "");
        if (!qs) { return out; }
        qs.split("&").forEach(function (field) {
            if (!field) { return; }
            var at = field.indexOf("=");
            if (at < 0 || at === field.length - 1) { return; }   // no "=", or a blank value: dropped
            var key = unquote(field.slice(0, at).replace(/\+/g, " "));
            var value = unquote(field.slice(at + 1).replace(/\+/g, " "));
            if (!out.has(key)) { out.set(key, []); }
            out.get(key).push(value);
        });
        return out;
    }

    // urllib.parse.quote_plus(text, safe=":,/"): UTF-8 bytes; letters, digits, _.-~ and :,/ kept; space as +
    var encoder = null;
    var KEPT = /[A-Za-z0-9_.\-~:,\/]/;
    function quotePlus(text) {
        encoder = encoder || new TextEncoder();
        var bytes = encoder.encode(text), out = "";
        for (var i = 0; i < bytes.length; i++) {
            var ch = String.fromCharCode(bytes[i]);
            if (bytes[i] < 128 && KEPT.test(ch)) { out += ch; }
            else if (bytes[i] === 32) { out += "+"; }
            else { out += "%" + (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16).toUpperCase(); }
        }
        return out;
    }

    function blank(v) { return v === null || v === undefined || v === ""; }

    // export_buttons._query: key=value&... (a list value repeats its key; blank values dropped)
    function query(pairs) {
        var items = [];
        pairs.forEach(function (value, key) {
            (Array.isArray(value) ? value : [value]).forEach(function (v) {
                if (!blank(v)) { items.push(quotePlus(String(key)) + "=" + quotePlus(String(v))); }
            });
        });
        return items.join("&");
    }

    // a spec's params / fixed ([[key, value], ...], in the page's order) as an ordered map
    function toMap(pairs) {
        var out = new Map();
        (pairs || []).forEach(function (kv) { out.set(kv[0], kv[1]); });
        return out;
    }

    // query.split_values / query.many: every value of the keys, split on , ; +, stripped, without repeats
    function many(state, keys) {
        var out = [];
        keys.forEach(function (key) {
            var values = state.has(key) ? state.get(key) : null;
            if (values === null || values === undefined) { return; }
            (Array.isArray(values) ? values : [values]).forEach(function (value) {
                String(value).replace(/;/g, ",").replace(/\+/g, ",").split(",").forEach(function (part) {
                    part = pyStrip(part);
                    if (part && out.indexOf(part) < 0) { out.push(part); }
                });
            });
        });
        return out;
    }

    // i18n.normalise: "sv", "sv-SE", "SV_se" -> "sv"; anything not offered -> null
    function normalise(value) {
        if (typeof value !== "string") { return null; }
        var code = pyStrip(value).replace(/_/g, "-").split("-")[0].toLowerCase().slice(0, 8);
        return C.languages.indexOf(code) >= 0 ? code : null;
    }

    // The language the server answers a request from this page in: the address's (last) lang= when offered
    // (i18n.web.from_url on the Referer), else the page's <html lang>, else English.
    function pageLanguage(search, htmlLang) {
        var values = parseQs(search).get(C.langKey);
        return (values ? normalise(values[values.length - 1]) : null) || normalise(htmlLang) || C.defaultLang;
    }

    // export_buttons.export_hrefs(spec, search, size, lang): the href of every link of a row
    function hrefs(spec, search, size, lang) {
        var state = new Map();
        if (search !== null && search !== undefined) {
            parseQs(search).forEach(function (values, key) {
                if (C.rowKeys.indexOf(key) < 0) { state.set(key, values.length === 1 ? values[0] : values); }
            });
        } else {
            state = toMap(spec.params);
        }
        toMap(spec.fixed).forEach(function (value, key) { state.set(key, value); });
        state.delete(C.langKey);
        lang = normalise(lang) || C.defaultLang;
        var page = spec.page || "";
        size = C.sizes.indexOf(size) >= 0 ? size : C.sizes[0];
        function withState(first, firstValue, tail) {
            var pairs = new Map([[first, firstValue]]);
            state.forEach(function (value, key) { pairs.set(key, value); });
            tail.forEach(function (kv) { pairs.set(kv[0], kv[1]); });
            if (lang !== C.defaultLang) { pairs.set(C.langKey, lang); }
            return pairs;
        }
        function plain(pairs) {
            var out = new Map();
            pairs.forEach(function (kv) { out.set(kv[0], kv[1]); });
            if (lang !== C.defaultLang) { out.set(C.langKey, lang); }
            return out;
        }
        var out = {}, q;
        if (spec.chart) {
            q = query(withState("chart", spec.chart, [["size", size], ["page", page]]));
            C.imageFormats.forEach(function (fmt) { out[fmt] = "/export/chart." + fmt + "?" + q; });
        }
        if (spec.view) {
            q = query(withState("view", spec.view, [["page", page]]));
            C.dataFormats.forEach(function (fmt) { out[fmt] = "/export/data." + fmt + "?" + q; });
        }
        if (spec.full === undefined || spec.full) {
            q = query(plain([["view", "full"], ["page", page]]));
            C.dataFormats.forEach(function (fmt) { out["full-" + fmt] = "/export/data." + fmt + "?" + q; });
        }
        if (spec.brief) {
            var regions = many(state, C.regionKeys).slice(0, C.maxCompare);
            if (regions.length) {
                var joined = regions.join(",");
                q = query(plain([["page", page]]));
                var tail = q ? "?" + q : "";
                out["brief-pdf"] = "/brief/" + joined + ".pdf" + tail;
                out["brief-html"] = "/brief/" + joined + ".html" + tail;
                out["brief-questions"] = "/brief/" + joined + ".html?" + query(plain([["appendix", "questions"],
                                                                                      ["page", page]]));
            }
        }
        return out;
    }

    // The clientside callback of a row (Input: the location's search and the row's size; State: the row's spec,
    // its links' ids and hrefs): the new hrefs in the links' order, no_update for a link that keeps its href
    // (so a page's first draw, when dcc.Location reports the address the layout was made for, changes nothing).
    function links(search, size, spec, linkIds, current) {
        var nu = root.dash_clientside.no_update;
        linkIds = linkIds || [];
        if (!spec || !Object.keys(spec).length) { return linkIds.map(function () { return nu; }); }
        var searched = search && search.replace(/^\?+|\?+$/g, "") ? search : null;   // update_hrefs' rule
        var made = hrefs(spec, searched, size || C.sizes[0],
                         pageLanguage(search, root.document.documentElement.getAttribute("lang")));
        return linkIds.map(function (link, i) {
            var href = Object.prototype.hasOwnProperty.call(made, link.fmt) ? made[link.fmt] : nu;
            return href === nu || (current && current[i] === href) ? nu : href;
        });
    }

    var api = {constants: C, hrefs: hrefs, links: links, pageLanguage: pageLanguage, parseQs: parseQs,
               quotePlus: quotePlus, unquote: unquote, normalise: normalise, many: many};
    root.dash_clientside = root.dash_clientside || {};
    root.dash_clientside.mx_export = api;
    if (typeof module === "object" && module.exports) { module.exports = api; }
})(typeof window !== "undefined" ? window : globalThis);
