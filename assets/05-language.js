/* Language in the address (dashboard/components/language.py, dashboard/i18n/web.py).
 * 1. A click on a language in the menu opens the page as it is now (path and query) with lang= set.
 * 2. In-app navigation (dcc.Link) keeps lang= in the address, so a shared link opens in the same language;
 *    English, the default, is left out unless the address already names it.
 * 3. So does a page rewriting its own query (a dcc.Location with refresh=False, e.g. Compare's regions=…): it
 *    calls history.pushState/replaceState without telling anyone, so those two add lang= to a same-site
 *    address that lacks it (appended as written: the page's own pairs keep their commas).
 */
(function () {
  "use strict";
  function withLang(href, lang) {
    var url = new URL(href, window.location.href);
    url.searchParams.set("lang", lang);
    return url.pathname + url.search + url.hash;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.mx-lang-link");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) { return; }
    var lang = new URL(link.href, window.location.href).searchParams.get("lang");
    if (!lang) { return; }
    event.preventDefault();
    window.location.assign(withLang(window.location.href, lang));
  }, true);
  function keepLang() {
    var lang = document.documentElement.getAttribute("lang") || "en";
    var url = new URL(window.location.href);
    if (url.searchParams.has("lang") || lang === "en") { return; }
    window.history.replaceState(window.history.state, "", withLang(window.location.href, lang));
  }
  function pageLang() {
    var lang = document.documentElement.getAttribute("lang") || "en";
    return lang === "en" ? null : lang;
  }
  ["pushState", "replaceState"].forEach(function (name) {
    var original = window.history[name];
    window.history[name] = function (state, title, address) {
      var lang = pageLang();
      if (lang && address !== undefined && address !== null) {
        var next = new URL(String(address), window.location.href);
        if (next.origin === window.location.origin && !next.searchParams.has("lang")) {
          address = next.pathname + (next.search ? next.search + "&" : "?") + "lang=" + lang + next.hash;
        }
      }
      return original.call(window.history, state, title, address);
    };
  });
  window.addEventListener("_dashprivate_pushstate", keepLang);
  window.addEventListener("popstate", keepLang);
  document.addEventListener("DOMContentLoaded", keepLang);
})();
