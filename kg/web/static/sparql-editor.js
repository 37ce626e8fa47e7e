/* The /sparql page with JavaScript: YASGUI (vendored, static/yasgui/) in place of the plain form.
   Everything comes from the page's JSON block #editor-config: the endpoint (this site's /sparql), the query to
   show, the project prefixes, the ontology's classes and properties, and the stored queries as examples.
   Nothing is fetched from other hosts: YASQE's prefix.cc and LOV completers are replaced by local lists. */
(function () {
  "use strict";
  var configEl = document.getElementById("editor-config");
  var root = document.getElementById("yasgui");
  if (!configEl || !root || typeof window.Yasgui !== "function") return; // the plain form stays
  var config = JSON.parse(configEl.textContent);
  var Yasgui = window.Yasgui;
  var Yasqe = Yasgui.Yasqe;

  function startsWith(list, text) {
    return list.filter(function (item) { return item.indexOf(text) === 0; });
  }
  var prefixLines = Object.keys(config.prefixes).map(function (p) {
    return p + ": <" + config.prefixes[p] + ">";
  });
  // Local completers in place of the remote ones (prefix.cc, LOV): same behaviour, our own terms.
  Yasqe.forkAutocompleter("prefixes", { name: "local-prefixes", get: prefixLines, persistenceId: null }, false);
  Yasqe.forkAutocompleter("class", {
    name: "local-classes", bulk: false,
    get: function (_yasqe, token) { return startsWith(config.classes, token.autocompletionString || ""); },
  }, false);
  Yasqe.forkAutocompleter("property", {
    name: "local-properties", bulk: false,
    get: function (_yasqe, token) { return startsWith(config.properties, token.autocompletionString || ""); },
  }, false);
  Yasqe.defaults.autocompleters = ["variables", "local-prefixes", "local-classes", "local-properties"];

  // Shown before YASGUI starts: CodeMirror measures its box when it is created.
  document.getElementById("editor").hidden = false;
  var plain = document.getElementById("plain-editor");
  var results = document.getElementById("plain-results");
  if (plain) plain.hidden = true;
  if (results) results.hidden = true;

  var endpoint = new URL(config.endpoint, window.location.href).href;
  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    populateFromUrl: false,
    autoAddOnInit: false,
    persistenceId: "careers-kg-sparql",
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    yasqe: { value: config.query, autocompleters: Yasqe.defaults.autocompleters },
    yasr: { prefixes: config.prefixes }, // IRIs shown as id:medical-coder, ckg:Profession ...
  });

  function openTab(name, query, run) {
    var tab = yasgui.addTab(true, {
      name: name,
      yasqe: { value: query },
      requestConfig: { endpoint: endpoint, method: "POST" },
    }, { avoidDuplicateTabs: true });
    if (run) tab.query().catch(function () {});
    return tab;
  }

  var fromUrl = new URLSearchParams(window.location.search).has("query");
  if (!yasgui.getTab() || fromUrl) openTab(fromUrl ? "Your query" : "Query", config.query, fromUrl);

  // The stored queries open as tabs instead of reloading the page.
  var titles = {};
  config.examples.forEach(function (ex) { titles[ex.name] = ex; });
  document.querySelectorAll("a[data-example]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var ex = titles[link.getAttribute("data-example")];
      if (!ex || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      openTab(ex.title, ex.query, false);
      root.scrollIntoView();
    });
  });

  window.careersKgEditor = yasgui; // for the browser tests and the curious
})();
