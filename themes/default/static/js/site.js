/* speechsite default theme: small enhancements, no dependencies. Loaded with `defer`.
   Every part checks for its elements first, so any page may use this file.
   1. Table of contents: open on wide screens, highlight the section being read.
   2. "Cite this speech": copy the citation, announce the result.
   3. The "/" key focuses the search box.
   4. Paragraph numbers become links to their paragraphs (#p12), to cite 第12段.
   5. Text a search result marked (?h=…) is marked in the speech it opens. */
(function () {
  "use strict";

  var WIDE = "(min-width: 60em)"; /* same breakpoint as the TOC column in site.css */

  /* --- 1. table of contents ------------------------------------------------------------------ */
  function initToc() {
    var toc = document.querySelector("[data-toc]");
    if (!toc) return;
    var details = toc.querySelector("details");
    if (details && window.matchMedia) {
      var wide = window.matchMedia(WIDE);
      if (wide.matches) details.open = true;
      var onChange = function (event) {
        if (event.matches) details.open = true;
      };
      if (wide.addEventListener) wide.addEventListener("change", onChange);
      else if (wide.addListener) wide.addListener(onChange);
    }

    var links = toc.querySelectorAll("a[data-toc-link]");
    var entries = [];
    for (var i = 0; i < links.length; i++) {
      var target = document.getElementById(links[i].getAttribute("data-toc-link"));
      if (target) entries.push({ link: links[i], heading: target });
    }
    if (!entries.length) return;

    var current = null;
    function setCurrent(entry) {
      if (entry === current) return;
      if (current) current.link.removeAttribute("aria-current");
      current = entry;
      if (!entry) return;
      entry.link.setAttribute("aria-current", "true");
      keepVisible(entry.link);
    }

    /* Scroll the TOC itself (not the page) so the current link stays in view. */
    function keepVisible(link) {
      if (toc.scrollHeight <= toc.clientHeight) return;
      var box = toc.getBoundingClientRect();
      var rect = link.getBoundingClientRect();
      if (rect.top < box.top || rect.bottom > box.bottom) {
        toc.scrollTop += rect.top - box.top - toc.clientHeight / 3;
      }
    }

    /* The entry the reader chose (a click in the TOC, a link to #s3-2) is current while its
       heading stands at the top where the jump put it, though a sub-heading right below it
       crosses the line too (（二） and its 一是, 49 px apart, marked 一是). */
    var chosen = null;
    function choose() {
      var id = decodeURIComponent(window.location.hash.slice(1));
      chosen = null;
      for (var k = 0; k < entries.length; k++) if (entries[k].heading.id === id) chosen = entries[k];
    }

    /* The current section is the last heading above a line 15% down the viewport; at the
       page's end (where the last sections may never reach that line), the last heading in
       view. */
    function update() {
      var line = window.innerHeight * 0.15;
      var root = document.documentElement;
      var end = window.innerHeight + window.scrollY >= root.scrollHeight - 2;
      if (chosen) {
        /* (at the page's end a jump cannot bring a last section's heading up to the top) */
        var top = chosen.heading.getBoundingClientRect().top;
        if (top >= -2 && (top <= line + 1 || (end && top < window.innerHeight))) return setCurrent(chosen);
        chosen = null; /* the reader scrolled on: the line decides again */
      }
      if (end) line = window.innerHeight;
      var found = null;
      for (var j = 0; j < entries.length; j++) {
        if (entries[j].heading.getBoundingClientRect().top <= line + 1) found = entries[j];
        else break;
      }
      setCurrent(found);
    }

    /* Judged again after every scroll, however it happened — a jump to #p78, a drag of the
       scrollbar, find in page, Home and End skip past any heading, so watching headings
       cross a line would miss them — once a frame at most. */
    var pending = false;
    function schedule() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        update();
      });
    }
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);
    window.addEventListener("hashchange", function () {
      choose();
      schedule();
    });
    window.addEventListener("load", schedule);
    choose();
    update();
  }

  /* --- 2. copy the citation ---------------------------------------------------------------- */
  function initCopy() {
    var buttons = document.querySelectorAll("[data-copy-target]");
    for (var i = 0; i < buttons.length; i++) setUpCopy(buttons[i]);
  }

  function setUpCopy(button) {
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source) return;
    var status = button.parentNode.querySelector("[role=status]");
    var timer = null;

    function announce(message) {
      if (!status) return;
      /* clear first so the same message is announced again on a second click */
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = message;
      }, 50);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        status.textContent = "";
      }, 6000);
    }

    function selectSource() {
      var selection = window.getSelection && window.getSelection();
      if (!selection) return false;
      var range = document.createRange();
      range.selectNodeContents(source);
      selection.removeAllRanges();
      selection.addRange(range);
      return true;
    }

    function fallback() {
      var copied = false;
      if (selectSource()) {
        try {
          copied = document.execCommand("copy");
        } catch (err) {
          copied = false;
        }
      }
      announce(copied ? button.getAttribute("data-copied") : button.getAttribute("data-copy-failed"));
    }

    button.addEventListener("click", function () {
      var text = source.textContent.replace(/\s+/g, " ").trim();
      if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () {
            announce(button.getAttribute("data-copied"));
          },
          fallback
        );
      } else {
        fallback();
      }
    });
    button.hidden = false;
  }

  /* --- 3. "/" focuses the search box ------------------------------------------------------- */
  function isTyping(element) {
    if (!element) return false;
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
  }

  function initSlash() {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.defaultPrevented || isTyping(event.target)) return;
      var box = document.getElementById("search-input") || document.querySelector(".site-search input[type=search]");
      if (!box) return;
      event.preventDefault();
      box.focus();
      if (box.select) box.select();
    });
  }

  /* --- 4. paragraph links ---------------------------------------------------------------- */
  /* The margin number (drawn from data-n by the stylesheet, so pages without script show it)
     becomes a link to its paragraph: a click puts #p12 in the address bar to copy. Out of the
     tab order: a speech of a hundred paragraphs would be a hundred stops; the heading anchors
     and the TOC are the keyboard's way through. */
  function initParagraphLinks() {
    var body = document.querySelector("[data-speech-body]");
    if (!body) return;
    var label = body.getAttribute("data-para-label") || "{n}";
    var paragraphs = body.querySelectorAll(":scope > p[data-n][id]");
    for (var i = 0; i < paragraphs.length; i++) {
      var p = paragraphs[i];
      var n = p.getAttribute("data-n");
      var link = document.createElement("a");
      link.className = "para-anchor";
      link.href = "#" + p.id;
      link.tabIndex = -1;
      link.textContent = n;
      link.setAttribute("aria-label", label.replace("{n}", n));
      p.insertBefore(link, p.firstChild);
    }
  }

  /* --- 5. search hits --------------------------------------------------------------------- */
  /* A search result links here with ?h=<text> for each text it marked, as the speech writes
     it: the same text is marked in the title and the body, so the reader sees at once where the
     match is in the paragraph the link opens. Text nodes are split and wrapped, never parsed:
     a parameter is only ever text. The parameters then leave the address bar, so the address a
     reader copies to cite the speech (or 第12段) is the plain one. */
  var MAX_HITS = 8; /* texts taken from the address (search.js passes as many) */
  var MAX_MARKS = 500; /* marks made, at most: a one-character hit in a long speech */

  function hitTexts() {
    if (!window.URLSearchParams) return [];
    var seen = [];
    new URLSearchParams(window.location.search).getAll("h").forEach(function (text) {
      text = text.trim();
      if (text && text.length <= 100 && seen.indexOf(text) < 0) seen.push(text);
    });
    return seen.slice(0, MAX_HITS).sort(function (a, b) {
      return b.length - a.length; /* the longest first where two start at one place */
    });
  }

  function textNodes(scope) {
    var nodes = [];
    var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, null);
    var node;
    while ((node = walker.nextNode())) {
      if (!node.parentNode.closest("mark, a.heading-anchor, a.para-anchor")) nodes.push(node);
    }
    return nodes;
  }

  /* Wrap each hit in `node` (the earliest first) in <mark class="search-hit">; return the count. */
  function markIn(node, hits, count) {
    while (count < MAX_MARKS) {
      var at = -1;
      var hit = "";
      for (var i = 0; i < hits.length; i++) {
        var found = node.data.indexOf(hits[i]);
        if (found >= 0 && (at < 0 || found < at)) {
          at = found;
          hit = hits[i];
        }
      }
      if (at < 0) break;
      var match = node.splitText(at);
      node = match.splitText(hit.length);
      var mark = document.createElement("mark");
      mark.className = "search-hit";
      match.parentNode.replaceChild(mark, match);
      mark.appendChild(match);
      count++;
    }
    return count;
  }

  function initSearchHits() {
    var hits = hitTexts();
    if (!hits.length) return;
    var count = 0;
    [document.getElementById("speech-title"), document.querySelector("[data-speech-body]")]
      .filter(Boolean)
      .forEach(function (scope) {
        textNodes(scope).forEach(function (node) {
          count = markIn(node, hits, count);
        });
      });
    var url = new URL(window.location.href);
    url.searchParams.delete("h");
    window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
  }

  function init() {
    var parts = [initToc, initCopy, initSlash, initParagraphLinks, initSearchHits];
    for (var i = 0; i < parts.length; i++) {
      try {
        parts[i]();
      } catch (err) {
        /* an enhancement that fails leaves the page as it was; never break the others */
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
