// speechsite serve: live reload (added by the preview server only; never part of a build).
// A rebuild that changed this page reloads it (keeping the scroll position); a changed
// stylesheet is swapped in place; a failed build shows an overlay until a build succeeds.
// When the search index catches up (a second message, after the pages), a search page
// showing results reloads, so they come from the new index (the query is in its URL).
(function () {
  "use strict";
  var script = document.currentScript;
  var shown = script.getAttribute("data-shown");
  var requested = script.getAttribute("data-requested");
  var scrollKey = "__speechsite_scroll:" + location.pathname;
  var overlayId = "__speechsite-overlay";

  function restoreScroll() {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved === null) return;
    sessionStorage.removeItem(scrollKey);
    var xy = JSON.parse(saved);
    window.scrollTo(xy[0], xy[1]);
  }

  function reload() {
    sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    location.reload();
  }

  function swapStylesheet(link, href) {
    var fresh = link.cloneNode(false);
    fresh.setAttribute("href", href);
    fresh.addEventListener("load", function () { link.remove(); });
    fresh.addEventListener("error", function () { link.remove(); });
    link.after(fresh);
  }

  function applyAssets(assets) {
    var needsReload = false;
    document.querySelectorAll("[href], [src]").forEach(function (el) {
      var attr = el.hasAttribute("src") ? "src" : "href";
      var next = assets[el.getAttribute(attr)];
      if (next === undefined) return;
      if (el.tagName === "LINK" && /\bstylesheet\b/i.test(el.getAttribute("rel") || "")) {
        swapStylesheet(el, next);
      } else if (el.tagName === "SCRIPT") {
        needsReload = true;  // a script cannot be swapped into a running page
      } else {
        el.setAttribute(attr, next);
      }
    });
    return needsReload;
  }

  function removeOverlay() {
    var overlay = document.getElementById(overlayId);
    if (overlay) overlay.remove();
  }

  // Every line's look is its own inline style, from `all:initial` up: the site's stylesheet
  // styles classes and elements too (the theme's .hint drew the hint muted, at 2:1 contrast).
  var LINE_STYLE = "all:initial;display:block;margin:0 0 .75rem;color:#fff;" +
    "font:16px/1.5 system-ui,sans-serif;white-space:pre-wrap;overflow-wrap:anywhere;";

  function line(parent, tag, text, className, style) {
    var el = document.createElement(tag);
    el.textContent = text;  // text only: an error message is never parsed as HTML
    el.className = "__speechsite-" + (className || "line");
    el.style.cssText = LINE_STYLE + (style || "");
    parent.appendChild(el);
    return el;
  }

  function showOverlay(error) {
    removeOverlay();
    var overlay = document.createElement("div");
    overlay.id = overlayId;
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,20,.92);color:#fff;font:16px/1.5 system-ui,sans-serif;";
    line(overlay, "h2", "speechsite: build failed", "title", "font-size:1.4rem;font-weight:700;color:#ff8a80");
    var where = error.path ? error.path + (error.line ? ":" + error.line : "") : "";
    if (where) line(overlay, "p", where, "file", "font-family:monospace");
    line(overlay, "pre", error.message, "message", "font:15px/1.5 monospace");
    if (error.hint) line(overlay, "p", error.hint, "hint", "color:#ffe082");
    line(overlay, "p", "The last good version of the site is still served; save a fix to continue.");
    document.body.appendChild(overlay);
  }

  function onUpdate(data) {
    removeOverlay();
    if (data.pages.indexOf(shown) >= 0 || data.pages.indexOf(requested) >= 0) {
      reload();
      return;
    }
    if (applyAssets(data.assets)) reload();
  }

  function onSearch() {
    // A search page with no query shows nothing the index holds but its filter choices: it is
    // left alone, and search.js reads index.json again once its copy is 30 s old.
    if (shown === "search/index.html" && new URLSearchParams(location.search).get("q")) reload();
  }

  if (document.readyState === "complete") restoreScroll();
  else window.addEventListener("load", restoreScroll);
  var source = new EventSource("/__speechsite/events");
  source.addEventListener("message", function (event) {
    var data = JSON.parse(event.data);
    if (data.type === "error") showOverlay(data);
    else if (data.type === "update") onUpdate(data);
    else if (data.type === "search") onSearch();
  });
})();
