/* speechsite search: exact phrase search for Chinese over a static, sharded index.

   The core (folding, index decoding, phrase matching, ranking, snippets) has no DOM and is
   exported for node's test runner; the page part at the end drives the search page.
   Index layout and formats: generator/search/site.py and index.py. In short:
   - search/index.json: generation, bucket count, filter values, which characters need the
     traditional → simplified table;
   - a key (one folded character, or two) lives in bucket hash(key) >>> (32 - bucketBits);
     a bucket lists its keys with document lists and, for pairs, positions (long lists sit in
     the bucket's pack, read with a Range request);
   - a query term of two characters is one key; a longer term is verified with the positions
     of a set of pairs that covers it, so "放管服" finds exactly the speeches containing it. */
(function (root, factory) {
  "use strict";
  var core = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = core;
  } else {
    root.speechsiteSearch = core;
    if (typeof document !== "undefined") core.startPage(document);
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  /* --- folding: the same per-character normalisation as generator/search/fold.py --------- */

  /* Python's str.isspace(), which fold.py uses: JavaScript's \s differs (it has U+FEFF, lacks
     U+001C-U+001F and U+0085). */
  var SPACE = /^[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

  function codePoints(text) {
    return Array.from(text);
  }

  /* Each character's fold before the table, remembered: snippets fold whole speeches, and
     normalize() per character is what costs (a speech uses a few thousand characters). */
  var FOLDED = new Map();

  function foldChar(ch, table) {
    var n = FOLDED.get(ch);
    if (n === undefined) {
      n = foldUntabled(ch);
      FOLDED.set(ch, n);
    }
    if (table) {
      var mapped = table.get(n);
      if (mapped) return mapped;
    }
    return n;
  }

  /* Look-alikes NFKC keeps apart: ○ and 零 and 〇 (fold.py's EQUIVALENTS). */
  var EQUIVALENTS = { "\u25cb": "\u3007", "\u25ef": "\u3007", "\u96f6": "\u3007" };
  /* Punctuation a phrase reads through, dropped (fold.py's DROPPED): “十四五”规划 is found by
     十四五规划. */
  var DROPPED = new Set(Array.from("\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u3001,\u3002;:!?()\u300a\u300b\u3008\u3009\u300c\u300d\u300e\u300f\u3010\u3011\u3014\u3015\u3016\u3017\u2014\u2026\u00b7\u2022\u30fb\u2027\u2219\u22c5"));

  function foldUntabled(ch) {
    if (SPACE.test(ch)) return " ";
    var n = ch.normalize("NFKC");
    if (codePoints(n).length !== 1) n = ch;
    var lower = n.toLowerCase();
    if (codePoints(lower).length === 1) n = lower;
    if (Object.prototype.hasOwnProperty.call(EQUIVALENTS, n)) n = EQUIVALENTS[n];
    return DROPPED.has(n) ? "" : n;
  }

  function fold(text, table) {
    var out = "";
    for (var ch of text) out += foldChar(ch, table);
    return out;
  }

  /* Folded text plus, for each code unit of it, the offset of the original character it comes
     from and the offset after that character (`ends`), so a match found in the folded text is
     highlighted in the original, without the punctuation folding dropped after it. Every block a result shows
     is folded, on a page whose code is not yet compiled, so a character of one code unit that
     folds to one is looked up by number (UNIT_FOLD, and the table's TABLE_UNITS); any other
     takes foldChar. */
  var UNIT_FOLD = new Uint16Array(65536); // code unit → its fold without the table; 0: not known
  var NOT_A_UNIT = 0xffff; // its fold is not one code unit, or it is a surrogate
  var DROPPED_UNIT = 0xfffe; // folding drops it (DROPPED)
  var TABLE_UNITS = new WeakMap(); // table → Map(code unit → code unit, or -1: not one unit)

  function unitFold(c) {
    // CJK Unified Ideographs: NFKC and case leave them (零 aside: EQUIVALENTS)
    if (c >= 0x4e00 && c <= 0x9fff && c !== 0x96f6) return c;
    var f = UNIT_FOLD[c];
    if (f === 0) {
      var surrogate = c >= 0xd800 && c <= 0xdfff;
      var n = surrogate ? "" : foldChar(String.fromCharCode(c), null);
      var one = n.length === 1 && n.charCodeAt(0) < DROPPED_UNIT;
      f = one ? n.charCodeAt(0) : !surrogate && n === "" ? DROPPED_UNIT : NOT_A_UNIT;
      UNIT_FOLD[c] = f;
    }
    return f;
  }

  function tableUnits(table) {
    var units = TABLE_UNITS.get(table);
    if (!units) {
      units = new Map();
      table.forEach(function (to, from) {
        if (from.length === 1) units.set(from.charCodeAt(0), to.length === 1 ? to.charCodeAt(0) : -1);
      });
      TABLE_UNITS.set(table, units);
    }
    return units;
  }

  function foldWithOffsets(text, table) {
    var units = table ? tableUnits(table) : null;
    var codes = [];
    var offsets = [];
    var ends = [];
    for (var at = 0; at < text.length; ) {
      var f = unitFold(text.charCodeAt(at));
      if (f === DROPPED_UNIT) {
        at++;
        continue;
      }
      var mapped = units && f !== NOT_A_UNIT ? units.get(f) : undefined;
      if (f !== NOT_A_UNIT && mapped !== -1) {
        codes.push(mapped === undefined ? f : mapped);
        offsets.push(at++);
        ends.push(at);
        continue;
      }
      var ch = String.fromCodePoint(text.codePointAt(at));
      var folded = foldChar(ch, table);
      for (var i = 0; i < folded.length; i++) {
        codes.push(folded.charCodeAt(i));
        offsets.push(at);
        ends.push(at + ch.length);
      }
      at += ch.length;
    }
    offsets.push(text.length);
    return { text: fromCodes(codes), offsets: offsets, ends: ends };
  }

  /* A number is a token (fold.py's search_fold): 5.2% must not find 35.2%. The first and last
     digit of each number (digits joined across a point or a comma between two of them) fold to
     marked forms in the Private Use Area: NUMBER_START + d, NUMBER_END + d, NUMBER_ALONE + d for
     a number of one digit. Told apart on the text as written: punctuation folding drops (1、2)
     parts numbers. `folded` is foldWithOffsets(text)'s result; its text is replaced. */
  var NUMBER_START = 0xf700;
  var NUMBER_END = 0xf710;
  var NUMBER_ALONE = 0xf720;
  var NUMBER_JOINERS = ".,\uff0e";

  function markNumbers(folded, text) {
    var codes = null;
    for (var k = 0; k < folded.text.length; k++) {
      var c = folded.text.charCodeAt(k);
      if (c < 48 || c > 57) continue;
      var left = numberGoesOn(text, previousStart(text, folded.offsets[k]), -1);
      var right = numberGoesOn(text, folded.ends[k], 1);
      var shift = left && right ? 0 : left ? NUMBER_END - 48 : (right ? NUMBER_START : NUMBER_ALONE) - 48;
      if (!shift) continue;
      if (!codes) {
        codes = new Array(folded.text.length);
        for (var i = 0; i < codes.length; i++) codes[i] = folded.text.charCodeAt(i);
      }
      codes[k] = c + shift;
    }
    if (codes) folded.text = fromCodes(codes);
    return folded;
  }

  /* Whether the number goes on at the character starting at `at` (a digit; or a joiner with a
     digit beyond it, going by `step`). */
  function numberGoesOn(text, at, step) {
    if (digitAt(text, at)) return true;
    if (at < 0 || at >= text.length || NUMBER_JOINERS.indexOf(text[at]) < 0) return false;
    return digitAt(text, step < 0 ? previousStart(text, at) : at + 1);
  }

  function previousStart(text, at) {
    var low = at >= 2 && text.charCodeAt(at - 1) >= 0xdc00 && text.charCodeAt(at - 1) <= 0xdfff;
    var high = low && text.charCodeAt(at - 2) >= 0xd800 && text.charCodeAt(at - 2) <= 0xdbff;
    return high ? at - 2 : at - 1;
  }

  /* Whether the character starting at `at` folds to a digit. */
  function digitAt(text, at) {
    if (at < 0 || at >= text.length) return false;
    var f = unitFold(text.charCodeAt(at));
    if (f === NOT_A_UNIT) {
      var n = foldChar(String.fromCodePoint(text.codePointAt(at)), null);
      f = n.length === 1 ? n.charCodeAt(0) : -1;
    }
    return f >= 48 && f <= 57;
  }

  /* A year in Chinese numerals (fold.py's CHINESE_DIGITS): a run of exactly four characters
     of the text as written that fold to 〇 一 … 九, the first 一 or 二, is that number in
     marked Arabic digits, so 1958年 finds 一九五八年 and 二零二五年 finds 2025年. */
  var CHINESE_DIGITS = "〇一二三四五六七八九";
  var YEAR_LENGTH = 4;

  function markYears(folded) {
    var text = folded.text;
    var codes = null;
    for (var at = 0; at < text.length; ) {
      var end = chineseDigitsEnd(folded, at);
      var first = CHINESE_DIGITS.indexOf(text[at]);
      if (end - at === YEAR_LENGTH && (first === 1 || first === 2)) {
        if (!codes) {
          codes = new Array(text.length);
          for (var i = 0; i < codes.length; i++) codes[i] = text.charCodeAt(i);
        }
        for (var k = at; k < end; k++) {
          var d = CHINESE_DIGITS.indexOf(text[k]);
          codes[k] = (k === at ? NUMBER_START : k === end - 1 ? NUMBER_END : 48) + d;
        }
      }
      at = Math.max(end, at + 1);
    }
    if (codes) folded.text = fromCodes(codes);
    return folded;
  }

  /* Where the run of Chinese digits starting at `at` of a folded text ends: at a character of
     another kind, or where folding dropped one between two (一九·五八 is two runs). */
  function chineseDigitsEnd(folded, at) {
    var end = at;
    while (end < folded.text.length && CHINESE_DIGITS.indexOf(folded.text[end]) >= 0) {
      if (end > at && folded.ends[end - 1] !== folded.offsets[end]) break;
      end++;
    }
    return end;
  }

  /* What search compares: the text folded, with its numbers' edges marked and its years in
     Chinese numerals made numbers. */
  function searchFold(text, table) {
    return markYears(markNumbers(foldWithOffsets(text, table), text));
  }

  /* Marked digits back to digits (a suggestion a reader sees). */
  function unmarkNumbers(text) {
    return text.replace(/[\uf700-\uf729]/g, function (ch) {
      return String.fromCharCode(48 + ((ch.charCodeAt(0) - NUMBER_START) % 16));
    });
  }

  function fromCodes(codes) {
    var out = "";
    for (var i = 0; i < codes.length; i += 8192) out += String.fromCharCode.apply(null, codes.slice(i, i + 8192));
    return out;
  }

  function tableFrom(pairs) {
    var map = new Map();
    var from = codePoints(pairs.from);
    var to = codePoints(pairs.to);
    for (var i = 0; i < from.length; i++) map.set(from[i], to[i]);
    return map;
  }

  /* Does folding `text` need the traditional → simplified table? (bitmap from index.json) */
  function needsTable(text, manifest, bitmap) {
    for (var ch of fold(text, null)) {
      var code = ch.codePointAt(0);
      if (code > 0xffff) return true;
      if (code >= manifest.tableFirst && code <= manifest.tableLast) {
        var offset = code - manifest.tableFirst;
        if (bitmap[offset >> 3] & (1 << (offset & 7))) return true;
      }
    }
    return false;
  }

  /* A query: folded terms, split on spaces, duplicates dropped. */
  /* What a query loses before it is folded: invisible and control characters a paste or a link
     (%00) brings along (reader.py's QUERY_INVISIBLE_RE). Quotation marks around a term folding
     drops, as it drops them from the text. */
  var QUERY_INVISIBLE = /[\x00-\x08\x0e-\x1f\x7f\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g;

  /* A full stop between two Chinese characters: a name's dot (reader.py QUERY_NAME_DOT_RE). */
  var QUERY_NAME_DOT = /([\u4e00-\u9fff])\.(?=[\u4e00-\u9fff])/g;

  function parseQuery(query, table) {
    return queryPlan(query, table).terms;
  }

  function foldTerm(text, table) {
    return searchFold(text, table).text.replace(QUERY_NAME_DOT, "$1");
  }

  /* A query as a search engine reads it (reader.py query_plan): words separated by spaces
     must all occur (`groups`, each a list of alternatives); a word after OR (or |) is an
     alternative to the one before it (营商环境 OR 作风 finds either); a word with a leading
     minus must not occur (`excluded`: 营商环境 -作风); a leading plus and AND say what is
     said anyway. `terms`: the distinct words to find, for highlights and snippets. */
  function queryPlan(query, table) {
    var seen = new Set();
    var plan = { groups: [], excluded: [], terms: [] };
    var alternative = false;
    for (var word of query.replace(QUERY_INVISIBLE, "").split(/\s+/)) {
      if (word === "OR" || word === "|") {
        alternative = plan.groups.length > 0;
        continue;
      }
      if (word === "AND" || !word) continue;
      var excluded = /^[-\uff0d]./.test(word);
      var pieces = foldTerm(excluded ? word.slice(1) : word.replace(/^[+\uff0b]+/, ""), table).split(" ");
      for (var term of pieces) {
        if (!term) continue;
        if (excluded) {
          if (plan.excluded.indexOf(term) < 0) plan.excluded.push(term);
          continue;
        }
        if (alternative) plan.groups[plan.groups.length - 1].push(term);
        else plan.groups.push([term]);
        alternative = false;
        if (!seen.has(term)) {
          seen.add(term);
          plan.terms.push(term);
        }
      }
      alternative = false;
    }
    plan.groups = distinctGroups(plan.groups);
    return plan;
  }

  /* Groups without repeats: a word twice is asked for once (营商环境 营商环境). */
  function distinctGroups(groups) {
    var seen = new Set();
    return groups.filter(function (group) {
      var key = group.slice().sort().join(" ");
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /* Alternatives' matches as one: a speech with either, its counts added, its zones and
     positions together. */
  function unionMatches(alternatives) {
    if (alternatives.length === 1) return alternatives[0];
    var out = new Map();
    alternatives.forEach(function (matches) {
      matches.forEach(function (hit, doc) {
        var had = out.get(doc);
        if (!had) {
          out.set(doc, { count: hit.count, zone: hit.zone, positions: hit.positions });
          return;
        }
        var positions = had.positions && hit.positions ? mergeSorted(had.positions, hit.positions) : had.positions || hit.positions;
        out.set(doc, { count: had.count + hit.count, zone: had.zone | hit.zone, positions: positions });
      });
    });
    return out;
  }

  function mergeSorted(a, b) {
    return Array.from(a).concat(Array.from(b)).sort(function (x, y) {
      return x - y;
    });
  }

  /* What to offer when a query finds nothing, best first, in the reader's own characters
     (probe 10: folded fragments were offered, `营商环境,` with a comma no speech has, `六稳""`,
     `si` for site:…): the query's pieces between spaces and punctuation, longest first, and
     when it is one piece, that piece less characters at either end (at most `limit` long,
     at least two characters), never cut inside a Latin word or a number (probe 20: ChatGPT
     offered `PT`, APP `AP`, ESG `ES`; a number with a point, 2025.3, is one number, not
     2025) and without a mark left at either end. Words a minus excludes and OR are no
     candidates. */
  function suggestions(query, limit) {
    var pieces = [];
    for (var word of query.replace(QUERY_INVISIBLE, "").split(/\s+/)) {
      if (!word || word === "OR" || word === "AND" || word === "|" || /^[-\uff0d]./.test(word)) continue;
      pieces = pieces.concat(piecesOf(word.replace(/^[+\uff0b]+/, "")));
    }
    var out = [];
    function offer(text) {
      if (codePoints(text).length >= 2 && out.indexOf(text) < 0 && text !== query.trim()) out.push(text);
    }
    if (pieces.length > 1) {
      pieces
        .slice()
        .sort(function (a, b) {
          return codePoints(b).length - codePoints(a).length;
        })
        .forEach(offer);
    } else if (pieces.length === 1) {
      var whole = codePoints(pieces[0]);
      var cps = whole.slice(0, limit);
      var inWord = whole.map(function (c, i) {
        return wordPart(whole, i);
      });
      var cut = function (from, to) {
        if (cuttable(inWord, from) && cuttable(inWord, to)) offer(trimMarks(cps.slice(from, to)));
      };
      cut(0, cps.length);
      for (var n = cps.length - 1; n >= 2; n--) {
        cut(0, n);
        cut(cps.length - n, cps.length);
      }
    }
    return out;
  }

  /* Whether character `i` of a piece (code points) is part of a Latin word or a number: a
     letter or digit (half or full width), a point or comma between two digits, a % after one. */
  var ALPHANUMERIC = /[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/;
  var DIGIT = /[0-9\uff10-\uff19]/;
  function wordPart(cps, i) {
    var c = cps[i];
    if (ALPHANUMERIC.test(c)) return true;
    var before = DIGIT.test(cps[i - 1] || "");
    return (NUMBER_JOINERS.indexOf(c) >= 0 && before && DIGIT.test(cps[i + 1] || "")) || (/[%\uff05]/.test(c) && before);
  }

  /* Whether a piece may be cut before its character `at` (`inWord`: wordPart of each): not
     inside a word or a number. */
  function cuttable(inWord, at) {
    return at <= 0 || at >= inWord.length || !(inWord[at - 1] && inWord[at]);
  }

  /* Code points as text, less the marks at either end a cut left there (a % after a digit
     stays: 增长5.2%). */
  function trimMarks(cps) {
    var from = 0;
    var to = cps.length;
    while (from < to && MARK.test(cps[from])) from++;
    while (to > from && MARK.test(cps[to - 1]) && !wordPart(cps, to - 1)) to--;
    return cps.slice(from, to).join("");
  }

  /* A word's runs between punctuation and symbols; an ASCII mark between two Latin letters or
     digits (5.2, 2023-05-12, 1,234; ５．２) and a % after a digit are part of the run (a dash of
     Chinese text is not: 2023—2025 is two runs); ○ and ◯, a year's zero, are no marks. */
  var MARK = /(?![○◯])[\p{P}\p{S}]/u;
  var ASCII_MARK = /[!-\/:-@[-`{-~]/;
  function piecesOf(word) {
    var cps = codePoints(word);
    var pieces = [];
    var run = "";
    cps.forEach(function (c, i) {
      var inside =
        MARK.test(c) &&
        ((ASCII_MARK.test(c) && ALPHANUMERIC.test(cps[i - 1] || "") && ALPHANUMERIC.test(cps[i + 1] || "")) || wordPart(cps, i));
      if (MARK.test(c) && !inside) {
        if (run) pieces.push(run);
        run = "";
      } else run += c;
    });
    if (run) pieces.push(run);
    return pieces;
  }

  /* --- index decoding ------------------------------------------------------------------- */

  function keyHash(c1, c2) {
    var h = (Math.imul(c1, 0x9e3779b1) ^ Math.imul(c2 + 1, 0x85ebca77)) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
    h = Math.imul(h, 0x2c1b3c6d) >>> 0;
    return (h ^ (h >>> 12)) >>> 0;
  }

  function bucketOf(c1, c2, bits) {
    return keyHash(c1, c2) >>> (32 - bits);
  }

  function Reader(bytes, at) {
    this.bytes = bytes;
    this.at = at || 0;
  }
  Reader.prototype.varint = function () {
    var value = 0;
    var scale = 1;
    for (;;) {
      var byte = this.bytes[this.at++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  };

  /* The entry of key (c1, c2) in a bucket file, or null: its document count and where its
     document list and positions are ({inline: offset} or {pack: offset}, with a length). */
  function findEntry(bytes, c1, c2) {
    var r = new Reader(bytes);
    var count = r.varint();
    for (var i = 0; i < count; i++) {
      var a = r.varint();
      var b = r.varint();
      var df = r.varint();
      var docLength = r.varint();
      var posLength = r.varint();
      var flags = r.varint();
      var parts = [];
      var lengths = [docLength, posLength];
      for (var part = 0; part < 2; part++) {
        var length = lengths[part];
        if (!length) {
          parts.push(null);
        } else if (flags & (1 << part)) {
          parts.push({ pack: r.varint(), length: length });
        } else {
          parts.push({ inline: r.at, length: length });
          r.at += length;
        }
      }
      if (a === c1 && b === c2) return { df: df, docs: parts[0], positions: parts[1] };
    }
    return null;
  }

  /* Document list → {docs, counts, zones} (zones: 2 title, 1 heading, bits). */
  function decodeDocs(bytes, df) {
    var r = new Reader(bytes);
    var docs = new Int32Array(df);
    var counts = new Int32Array(df);
    var zones = new Uint8Array(df);
    var doc = 0;
    for (var i = 0; i < df; i++) {
      doc = i === 0 ? r.varint() : doc + r.varint();
      var tfz = r.varint();
      docs[i] = doc;
      counts[i] = Math.floor(tfz / 4);
      zones[i] = tfz & 3;
    }
    return { docs: docs, counts: counts, zones: zones };
  }

  /* Positions, aligned with a decoded document list: `of(i)`, document i's as an Int32Array.
     Decoded into one array in one pass: a common pair has positions in thousands of speeches,
     and an array each cost more than the decoding. */
  function decodePositions(bytes, list) {
    var n = list.docs.length;
    var total = 0;
    for (var i = 0; i < n; i++) total += list.counts[i];
    var flat = new Int32Array(total);
    var bounds = new Int32Array(n + 1);
    var r = new Reader(bytes);
    var k = 0;
    for (var d = 0; d < n; d++) {
      bounds[d] = k;
      var position = 0;
      for (var j = 0, count = list.counts[d]; j < count; j++) {
        position = j === 0 ? r.varint() : position + r.varint();
        flat[k++] = position;
      }
    }
    bounds[n] = k;
    return new Positions(flat, bounds);
  }

  function Positions(flat, bounds) {
    this.flat = flat;
    this.bounds = bounds;
    this.length = bounds.length - 1;
  }
  Positions.prototype.of = function (i) {
    return this.flat.subarray(this.bounds[i], this.bounds[i + 1]);
  };
  /* Whether document i has `value` among its positions. */
  Positions.prototype.has = function (i, value) {
    var at = lowerBound(this.flat, value, this.bounds[i], this.bounds[i + 1]);
    return at < this.bounds[i + 1] && this.flat[at] === value;
  };

  /* The first index in sorted array[lo, hi) whose value is not below `value` (hi if none). */
  function lowerBound(array, value, lo, hi) {
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (array[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /* --- matching ------------------------------------------------------------------------- */

  /* The cheapest set of pair offsets covering every character of a term of n >= 3 characters:
     each chosen offset i covers characters i and i + 1, consecutive choices are at most two
     apart. costs[i]: bytes of pair i's positions. */
  function chooseCover(costs) {
    var n = costs.length;
    var best = new Array(n);
    var from = new Array(n);
    best[0] = costs[0];
    from[0] = -1;
    for (var i = 1; i < n; i++) {
      var j = i - 1;
      if (i >= 2 && best[i - 2] < best[i - 1]) j = i - 2;
      best[i] = costs[i] + best[j];
      from[i] = j;
    }
    var cover = [];
    for (var k = n - 1; k >= 0; k = from[k]) cover.unshift(k);
    return cover;
  }

  /* One term's matches: Map doc → {count, zone, positions (start offsets, or null)}.
     `api.list(c1, c2, withPositions)` resolves to {docs, counts, zones, positions?} or null;
     `api.entry(c1, c2)` to the bucket entry (for sizes) or null. */
  async function matchTerm(term, api, wantPositions) {
    var cps = codePoints(term).map(function (c) {
      return c.codePointAt(0);
    });
    var out = new Map();
    if (cps.length <= 2) {
      var list = await api.list(cps[0], cps.length === 2 ? cps[1] : 0, wantPositions && cps.length === 2);
      return list ? new ListMatches(list) : out;
    }
    var pairs = [];
    for (var p = 0; p + 1 < cps.length; p++) pairs.push([cps[p], cps[p + 1]]);
    var entries = await Promise.all(
      pairs.map(function (pair) {
        return api.entry(pair[0], pair[1]);
      }),
    );
    if (entries.some(function (e) { return !e; })) return out;
    var cover = chooseCover(
      entries.map(function (e) {
        return (e.positions ? e.positions.length : 0) + (e.docs ? e.docs.length : 0);
      }),
    );
    var lists = await Promise.all(
      cover.map(function (offset) {
        return api.list(pairs[offset][0], pairs[offset][1], true);
      }),
    );
    if (lists.some(function (l) { return !l; })) return out;
    var hits = phraseMatches(lists, cover);
    var titled = false;
    hits.forEach(function (hit) {
      if (hit.zone & 2) titled = true;
    });
    return titled ? inTitle(hits, cps.length, await api.list(0, TITLE_END_KEY, true)) : hits;
  }

  /* A phrase's title bit only where its earliest start lies in the title: its pairs each
     occurring in the title says less (20…00 in 2009年…, and 2000 in its text). The list of
     TITLE_END_KEY has, per speech, where its title ends (extract.py; reader.py's _in_title). */
  var TITLE_END_KEY = 1;

  function inTitle(hits, length, ends) {
    if (!ends || !ends.positions) return hits;
    hits.forEach(function (hit, doc) {
      if (!(hit.zone & 2)) return;
      var at = lowerBound(ends.docs, doc, 0, ends.docs.length);
      var end = at < ends.docs.length && ends.docs[at] === doc ? ends.positions.of(at)[0] : 0;
      if (hit.positions[0] + length > end) hit.zone &= ~2;
    });
    return hits;
  }

  /* A decoded list as a term's matches, read in place: `size`, `get(doc)` and
     `forEach(fn(hit, doc))` as on a Map. A common character is in most speeches; a Map of an
     object per speech, made before the first results show, cost more than the rest of it. */
  function ListMatches(list) {
    this.list = list;
    this.size = list.docs.length;
  }
  ListMatches.prototype.hit = function (i) {
    var list = this.list;
    return { count: list.counts[i], zone: list.zones[i], positions: list.positions ? list.positions.of(i) : null };
  };
  ListMatches.prototype.get = function (doc) {
    var docs = this.list.docs;
    var at = lowerBound(docs, doc, 0, docs.length);
    return at < docs.length && docs[at] === doc ? this.hit(at) : undefined;
  };
  ListMatches.prototype.forEach = function (fn) {
    for (var i = 0; i < this.size; i++) fn(this.hit(i), this.list.docs[i]);
  };

  /* The speeches where the covering pairs sit at their offsets from one start: walked from the
     shortest list, the others followed with cursors (every list is in document order). */
  function phraseMatches(lists, cover) {
    var out = new Map();
    var a = 0;
    for (var l = 1; l < lists.length; l++) if (lists[l].docs.length < lists[a].docs.length) a = l;
    var anchor = lists[a];
    var cursors = new Int32Array(lists.length);
    var rows = new Int32Array(lists.length);
    for (var d = 0; d < anchor.docs.length; d++) {
      var doc = anchor.docs[d];
      var zone = anchor.zones[d];
      var all = true;
      for (var k = 0; k < lists.length && all; k++) {
        if (k === a) {
          rows[k] = d;
          continue;
        }
        var docs = lists[k].docs;
        var c = cursors[k];
        while (c < docs.length && docs[c] < doc) c++;
        cursors[k] = c;
        all = c < docs.length && docs[c] === doc;
        rows[k] = c;
        if (all) zone &= lists[k].zones[c];
      }
      if (!all) continue;
      var starts = [];
      var first = anchor.positions.of(d);
      for (var s = 0; s < first.length; s++) {
        var start = first[s] - cover[a];
        var ok = true;
        for (var m = 0; m < lists.length && ok; m++) {
          if (m !== a) ok = lists[m].positions.has(rows[m], start + cover[m]);
        }
        if (ok) starts.push(start);
      }
      if (starts.length) out.set(doc, { count: starts.length, zone: zone, positions: Int32Array.from(starts) });
    }
    return out;
  }

  /* Smallest window holding an occurrence of every term (positions per term, sorted). */
  function minimalSpan(lists) {
    var events = [];
    lists.forEach(function (positions, term) {
      for (var i = 0; i < positions.length; i++) events.push([positions[i], term]);
    });
    events.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1];
    });
    var need = lists.length;
    var seen = new Array(need).fill(0);
    var have = 0;
    var best = Infinity;
    var left = 0;
    for (var right = 0; right < events.length; right++) {
      if (seen[events[right][1]]++ === 0) have++;
      while (have === need) {
        best = Math.min(best, events[right][0] - events[left][0]);
        if (--seen[events[left][1]] === 0) have--;
        left++;
      }
    }
    return best;
  }

  /* A match in the title, or in an outline heading, outweighs any number of body matches
     (reader.py: TITLE_BONUS). */
  var TITLE_BONUS = 1000;
  var HEADING_BONUS = 200;
  /* A title match of a rarer term counts for more (reader.py: TITLE_RARITY): 十七大 报告 put
     three resolutions with 报告 in their titles above the report titled …十七大. */
  var TITLE_RARITY = 20;

  var NO_HINTS = Object.freeze([]);

  /* Rank: title and heading matches first, then more and closer matches (score, then number). */
  function rank(termMatches, docCount) {
    if (!termMatches.length) return byScore([]);
    var smallest = termMatches.reduce(function (a, b) {
      return a.size <= b.size ? a : b;
    });
    var idfs = termMatches.map(function (matches) {
      return Math.log(1 + docCount / matches.size);
    });
    if (termMatches.length === 1 && termMatches[0] instanceof ListMatches) {
      return rankList(termMatches[0].list, idfs[0]);
    }
    var results = [];
    if (termMatches.length === 1) {
      termMatches[0].forEach(function (hit, doc) {
        results.push({ doc: doc, score: hitScore(idfs[0], hit), hints: hit.positions ? [hit.positions] : NO_HINTS });
      });
      return byScore(results);
    }
    smallest.forEach(function (_, doc) {
      var score = 0;
      var lists = [];
      for (var t = 0; t < termMatches.length; t++) {
        var hit = termMatches[t].get(doc);
        if (!hit) return;
        score += hitScore(idfs[t], hit);
        if (hit.positions) lists.push(hit.positions);
      }
      if (termMatches.length > 1 && lists.length === termMatches.length) {
        score += 4 / (1 + minimalSpan(lists) / 10);
      }
      results.push({ doc: doc, score: score, hints: lists }); // hints: where the terms are
    });
    return byScore(results);
  }

  /* Ranked results, best first, each made into an object ({doc, score, hints}) only when read:
     a common character is in most speeches, and an object for each before the first results
     show cost more than the rest of the search. `hintsOf(k)`: result k's hints. */
  function Ranking(docs, scores, hintsOf) {
    this.docs = docs;
    this.scores = scores;
    this.hintsOf = hintsOf;
    this.length = docs.length;
  }
  Ranking.prototype.at = function (k) {
    return { doc: this.docs[k], score: this.scores[k], hints: this.hintsOf(k) };
  };
  /* Results from..to (to: the end when omitted), as objects. */
  Ranking.prototype.slice = function (from, to) {
    var out = [];
    for (var k = from || 0, end = Math.min(to === undefined ? this.length : to, this.length); k < end; k++) out.push(this.at(k));
    return out;
  };
  /* The results whose speech passes `keep(doc)`, ranked as they were. */
  Ranking.prototype.filter = function (keep) {
    var kept = [];
    for (var k = 0; k < this.length; k++) if (keep(this.docs[k])) kept.push(k);
    var self = this;
    return new Ranking(
      Int32Array.from(kept, function (k) {
        return self.docs[k];
      }),
      Float64Array.from(kept, function (k) {
        return self.scores[k];
      }),
      function (j) {
        return self.hintsOf(kept[j]);
      },
    );
  };

  /* One term's part of a speech's score: more matches of a rarer term, a title or heading. */
  function hitScore(idf, hit) {
    return scoreOf(idf, hit.count, hit.zone);
  }

  function scoreOf(idf, count, zone) {
    var score = idf * (1 + Math.log2(1 + count));
    if (zone & 2) score += TITLE_BONUS + TITLE_RARITY * idf;
    if (zone & 1) score += HEADING_BONUS;
    return score;
  }

  /* One list's speeches ranked, read from its arrays, with no object per speech: grouped by
     (count, zone), which is all a speech's score depends on, each group scored once. */
  function rankList(list, idf) {
    var keys = new Int32Array(list.docs.length);
    for (var i = 0; i < keys.length; i++) keys[i] = list.counts[i] * 4 + list.zones[i];
    var positions = list.positions;
    return ranked(
      list.docs,
      keys,
      function (i) {
        return scoreOf(idf, list.counts[i], list.zones[i]);
      },
      function (i) {
        return positions ? [positions.of(i)] : NO_HINTS;
      },
    );
  }

  /* Results by score, then by number. */
  function byScore(results) {
    if (!inOrder(results)) {
      results = results.slice().sort(function (a, b) {
        return a.doc - b.doc;
      });
    }
    var scores = Float64Array.from(results, function (r) {
      return r.score;
    });
    return ranked(
      Int32Array.from(results, function (r) {
        return r.doc;
      }),
      scores,
      function (i) {
        return scores[i];
      },
      function (i) {
        return results[i].hints;
      },
    );
  }

  /* Items i (speech docs[i], in number order) ranked: grouped by keys[i], each group scored
     by scoreOfItem of its first item, best group first and by number within a group. */
  function ranked(docs, keys, scoreOfItem, hintsOfItem) {
    var groups = groupBy(keys, scoreOfItem);
    var order = orderByGroup(groups.group, groups.scores);
    var rankedDocs = new Int32Array(order.length);
    var scores = new Float64Array(order.length);
    for (var k = 0; k < order.length; k++) {
      rankedDocs[k] = docs[order[k]];
      scores[k] = groups.scores[groups.group[order[k]]];
    }
    return new Ranking(rankedDocs, scores, function (k) {
      return hintsOfItem(order[k]);
    });
  }

  /* Items grouped by key: `group[i]`, item i's group; `scores[g]`, group g's score, from
     `scoreOfItem(i)` for the group's first item. */
  function groupBy(keys, scoreOfItem) {
    var groupOf = new Map();
    var scores = [];
    var group = new Int32Array(keys.length);
    for (var i = 0; i < keys.length; i++) {
      var g = groupOf.get(keys[i]);
      if (g === undefined) {
        g = scores.length;
        groupOf.set(keys[i], g);
        scores.push(scoreOfItem(i));
      }
      group[i] = g;
    }
    return { group: group, scores: scores };
  }

  /* Indexes 0..n-1 (item i in group[i]) by their group's score, highest first, then by index: a
     counting sort over the groups — a common character's speeches fall in a few dozen — so no
     comparator runs per speech, and no typed-array sort, whose first call on a page is slow.
     Groups of equal score share a place, so their items still go by index. */
  function orderByGroup(group, groupScores) {
    var n = group.length;
    var ranked = groupScores.map(function (_, g) {
      return g;
    });
    ranked.sort(function (a, b) {
      return groupScores[b] - groupScores[a];
    });
    var place = new Int32Array(groupScores.length); // group → the place of its score
    var places = 0;
    ranked.forEach(function (g, r) {
      if (r > 0 && groupScores[g] !== groupScores[ranked[r - 1]]) places++;
      place[g] = places;
    });
    var starts = new Int32Array(places + 2); // where each place starts in the order
    for (var i = 0; i < n; i++) starts[place[group[i]] + 1]++;
    for (var p = 0; p <= places; p++) starts[p + 1] += starts[p];
    var order = new Int32Array(n);
    for (var k = 0; k < n; k++) order[starts[place[group[k]]]++] = k;
    return order;
  }

  function inOrder(results) {
    for (var i = 1; i < results.length; i++) if (results[i - 1].doc > results[i].doc) return false;
    return true;
  }

  /* --- snippets ------------------------------------------------------------------------- */

  /* Matched ranges [start, end) of the terms in `text` (original offsets), merged. */
  function findRanges(text, terms, table) {
    return rangesIn(searchFold(text, table), terms);
  }

  /* A block's text folded with offsets, once per block and table: a block is checked for
     snippets as it arrives, then cut into one, and the next keystroke's results often show
     the same blocks again (fragment files keep their inflated chunks). */
  var FOLDS = new WeakMap(); // block → Map(table or NO_TABLE → folded)
  var NO_TABLE = {};

  function foldedBlock(block, table) {
    var byTable = FOLDS.get(block);
    if (!byTable) FOLDS.set(block, (byTable = new Map()));
    var key = table || NO_TABLE;
    var folded = byTable.get(key);
    if (!folded) byTable.set(key, (folded = searchFold(block[1], table)));
    return folded;
  }

  function rangesIn(folded, terms) {
    var ranges = [];
    terms.forEach(function (term) {
      var from = 0;
      for (;;) {
        var at = folded.text.indexOf(term, from);
        if (at < 0) break;
        ranges.push([folded.offsets[at], folded.ends[at + term.length - 1]]);
        from = at + 1;
      }
    });
    ranges.sort(function (a, b) {
      return a[0] - b[0];
    });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  function distinctTerms(folded, terms) {
    return terms.filter(function (t) {
      return folded.text.indexOf(t) >= 0;
    }).length;
  }

  /* Up to `limit` snippets of a speech: the blocks holding the most terms (then the most
     matches), in reading order, each cut to a window around its matches.
     blocks: [[anchor, text], ...]. Returns [{anchor, parts: [{text, mark}]}]. */
  function snippets(blocks, terms, table, limit, width) {
    var scored = [];
    blocks.forEach(function (block, index) {
      var folded = foldedBlock(block, table);
      var ranges = rangesIn(folded, terms);
      if (ranges.length) scored.push({ index: index, distinct: distinctTerms(folded, terms), ranges: ranges });
    });
    scored.sort(function (a, b) {
      return b.distinct - a.distinct || b.ranges.length - a.ranges.length || a.index - b.index;
    });
    return scored
      .slice(0, limit)
      .sort(function (a, b) {
        return a.index - b.index;
      })
      .map(function (hit) {
        var text = blocks[hit.index][1];
        return { anchor: blocks[hit.index][0], parts: cut(text, hit.ranges, width) };
      });
  }

  /* Whether a result's text read so far (`read` compressed bytes) is enough for its
     snippets: `limit` blocks holding every term (reading on could only find blocks with more
     matches of the same terms); or one, once a few chunks are read; or, after the first
     16 KB, blocks holding some of the terms (they are far apart): a long speech is not read
     to its end for a better snippet — but it is for a first one, where no block read so far
     holds any term (a word of one or two characters comes with no positions to say where it
     is). `full`: how many blocks read so far hold every term; `some`: hold any. */
  var SNIPPET_BYTES = 4096;
  var TEXT_BYTES = 16384;
  function enoughSnippets(full, limit, read, some) {
    return (read >= TEXT_BYTES && some > 0) || full >= limit || (full > 0 && read >= SNIPPET_BYTES);
  }

  /* The `enough` test Index.fragment takes, counting the blocks that hold every term as they
     arrive (each block is folded once). `table`: the site's folding table, or null. */
  function snippetsEnough(terms, table, limit) {
    var checked = 0;
    var full = 0;
    var some = 0;
    var merged;
    return function (blocks, own, read) {
      if (checked === 0) merged = mergeTables(table, own);
      for (; checked < blocks.length; checked++) {
        if (full >= limit) continue;
        var found = distinctTerms(foldedBlock(blocks[checked], merged), terms);
        if (found === terms.length) full++;
        if (found > 0) some++;
      }
      return enoughSnippets(full, limit, read, some);
    };
  }

  /* The site's table with a fragment's own, made once per pair (blocks' folds are kept per
     table). */
  var MERGED = new WeakMap();

  function mergeTables(a, b) {
    if (!a) return b;
    if (!b) return a;
    var byOwn = MERGED.get(a);
    if (!byOwn) MERGED.set(a, (byOwn = new WeakMap()));
    var merged = byOwn.get(b);
    if (!merged) {
      merged = new Map(a);
      b.forEach(function (v, k) {
        merged.set(k, v);
      });
      byOwn.set(b, merged);
    }
    return merged;
  }

  /* A window of about `width` characters around the first match (extended over following
     matches that fit), as parts to be rendered as text nodes and <mark> elements. */
  var HITS = 8; // marked texts a result's link passes on, at most
  var HIT_LENGTH = 100; // characters of one (a pasted query is searched as its first hundred)

  /* The distinct texts marked in lists of parts (`cut`'s), in order, each at most HIT_LENGTH
     characters; at most HITS of them. */
  function hitTexts(lists) {
    var hits = [];
    lists.forEach(function (parts) {
      parts.forEach(function (part) {
        var text = part.text.trim();
        if (part.mark && text && text.length <= HIT_LENGTH && hits.indexOf(text) < 0) {
          hits.push(text);
        }
      });
    });
    return hits.slice(0, HITS);
  }

  /* A result's link carries the text its title and snippets mark, as the speech writes it
     (h=數字經濟 where 数字经济 was typed): the speech page marks it there too (site.js), as
     MkDocs Material and Pagefind mark a search's words on the page a result opens. */
  function hitLink(url, hits, anchor) {
    var query = hits
      .map(function (hit) {
        return "h=" + encodeURIComponent(hit);
      })
      .join("&");
    return url + (query ? "?" + query : "") + (anchor ? "#" + anchor : "");
  }

  function cut(text, ranges, width) {
    if (!ranges.length) {
      var head = [{ text: text.slice(0, width), mark: false }];
      if (text.length > width) head.push({ text: "…", mark: false });
      return head;
    }
    var start = Math.max(0, ranges[0][0] - Math.floor(width / 3));
    var end = Math.min(text.length, Math.max(start + width, ranges[0][1]));
    ranges.forEach(function (r) {
      if (r[0] < end && r[1] > end) end = Math.min(text.length, r[1]); // a match is never cut
    });
    var parts = [];
    if (start > 0) parts.push({ text: "…", mark: false });
    var at = start;
    ranges.forEach(function (r) {
      if (r[0] >= end || r[1] <= at) return;
      var a = Math.max(r[0], at);
      var b = Math.min(r[1], end);
      if (a > at) parts.push({ text: text.slice(at, a), mark: false });
      parts.push({ text: text.slice(a, b), mark: true });
      at = b;
    });
    if (at < end) parts.push({ text: text.slice(at, end), mark: false });
    if (end < text.length) parts.push({ text: "…", mark: false });
    return parts;
  }

  /* --- fetching ------------------------------------------------------------------------- */

  function Index(base, fetcher) {
    this.base = base; // URL of the search/ folder, ending in "/"
    this.fetcher = fetcher || (typeof fetch !== "undefined" ? fetch.bind(null) : null);
    this.cache = new Map();
    this.manifest = null;
    this.table = null;
  }

  Index.prototype.bytes = function (path, range, options) {
    var self = this;
    var key = path + (range ? "#" + range[0] + "-" + range[1] : "");
    if (!this.cache.has(key)) {
      var init = Object.assign({}, options || {});
      if (range) init.headers = { Range: "bytes=" + range[0] + "-" + (range[0] + range[1] - 1) };
      var promise = this.fetcher(this.base + path, init).then(function (response) {
        if (!response.ok) {
          var error = new Error("search index: " + response.status + " " + path);
          error.status = response.status;
          throw error;
        }
        return response.arrayBuffer().then(function (buffer) {
          var bytes = new Uint8Array(buffer);
          // A server without range support sends the whole file: take the part.
          if (range && response.status !== 206) bytes = bytes.subarray(range[0], range[0] + range[1]);
          return bytes;
        });
      });
      promise.catch(function () {
        self.cache.delete(key);
      });
      this.cache.set(key, promise);
    }
    return this.cache.get(key);
  };

  /* index.json is checked again (a revalidation: no bytes when unchanged) once it is older
     than this, so a page left open while a new build is published never pairs the new
     fragments with the old index: a new version drops everything fetched for the old. */
  var MANIFEST_TTL = 30000;

  Index.prototype.load = async function () {
    var now = Date.now();
    if (!this.manifest || now - this.loadedAt > MANIFEST_TTL) {
      this.cache.delete("index.json");
      var bytes = await this.bytes("index.json", null, { cache: "no-cache" });
      var manifest = JSON.parse(new TextDecoder().decode(bytes));
      if (this.manifest && manifest.version !== this.manifest.version) {
        var current = this.cache.get("index.json");
        this.cache.clear();
        this.cache.set("index.json", current);
        this.table = null;
      }
      this.manifest = manifest;
      this.bitmap = base64Bytes(manifest.tableBitmap);
      this.loadedAt = now;
    }
    return this.manifest;
  };

  Index.prototype.loadTable = async function () {
    if (!this.table) {
      var bytes = await this.bytes(this.manifest.table);
      this.table = tableFrom(JSON.parse(new TextDecoder().decode(bytes)));
    }
    return this.table;
  };

  /* A file of the index's generation (the folder its document and bucket numbers belong
     to). A build that changes some speeches' text rewrites the buckets it touches under the
     same names; the version in the query makes them new URLs to any cache in between. */
  Index.prototype.genPath = function (name) {
    var m = this.manifest;
    return m.gen + "/" + name + "?v=" + m.version;
  };

  Index.prototype.bucketPath = function (c1, c2, suffix) {
    return this.genPath("b/" + bucketOf(c1, c2, this.manifest.bucketBits) + suffix);
  };

  Index.prototype.entry = async function (c1, c2) {
    var bytes = await this.bytes(this.bucketPath(c1, c2, ".bin"));
    var found = findEntry(bytes, c1, c2);
    if (found) found.bucket = bytes;
    return found;
  };

  Index.prototype.part = function (c1, c2, entry, ref) {
    if (ref.inline !== undefined) {
      return Promise.resolve(entry.bucket.subarray(ref.inline, ref.inline + ref.length));
    }
    return this.bytes(this.bucketPath(c1, c2, ".x"), [ref.pack, ref.length]);
  };

  /* A key's document list and, when asked for, its positions. Both parts are fetched at
     once: with one range request when they lie side by side in the pack, as the index writes
     them, so a phrase costs its bucket and one request per pair it reads. */
  Index.prototype.list = async function (c1, c2, withPositions) {
    var entry = await this.entry(c1, c2);
    if (!entry) return null;
    var docs = entry.docs;
    var positions = withPositions ? entry.positions : null;
    var parts;
    if (positions && docs.pack !== undefined && positions.pack === docs.pack + docs.length) {
      var both = await this.part(c1, c2, entry, { pack: docs.pack, length: docs.length + positions.length });
      parts = [both.subarray(0, docs.length), both.subarray(docs.length)];
    } else {
      parts = await Promise.all([
        this.part(c1, c2, entry, docs),
        positions ? this.part(c1, c2, entry, positions) : null,
      ]);
    }
    var list = decodeDocs(parts[0], entry.df);
    if (positions) list.positions = decodePositions(parts[1], list);
    return list;
  };

  Index.prototype.facets = async function () {
    return this.bytes(this.genPath("facets.bin"));
  };

  /* Bytes asked for first from a fragment when the index gave no positions (one- and
     two-character queries): its details and its first few chunks, in one request — a
     speech's first snippets are usually near its start, and one request is faster than
     several small ones. Only the first chunk is inflated at once; the rest of what came is
     inflated, and the text read on in FRAGMENT_STEP parts, only while the snippets are not
     there. */
  var FRAGMENT_FIRST = 12288;
  var FRAGMENT_STEP = 8192;
  var FRAGMENT_HEAD = 768; // asked for first when the index says which chunks to read
  /* Chunks to read from one speech that lie this close (compressed bytes between them) are
     read as one range, chunks between included: one request, not two — five results' runs
     otherwise outnumber the six connections a browser opens to a host, and wait. */
  var RUN_GAP = 2048;

  /* A result's details and text. The text comes in chunks of consecutive blocks. With
     `hints` (the stream positions of the terms, per term, from the index) only the chunks
     holding them are read — those with the most terms first, up to `limit` chunks; without,
     chunks are read in order until `enough(blocks, table, bytesRead)` says the snippets are
     there. Either way a result costs a few kilobytes of its fragment, not the whole speech. */
  Index.prototype.fragment = async function (doc, enough, hints, limit) {
    if (!this.manifest) await this.load(); // (its generation names the fragment's folder)
    var file = this.fragmentFile(doc);
    var hinted = hints && hints.length;
    var meta = Object.assign({}, await file.head(hinted ? FRAGMENT_HEAD : FRAGMENT_FIRST));
    meta.blocks = [];
    var count = file.offsets.length - 1;
    if (hinted && meta.starts) {
      var runs = joinNear(runsOf(hintedChunks(meta.starts, hints, limit || 2, meta.end)), file.offsets);
      var parts = await Promise.all(
        runs.map(function (run) {
          return file.chunks(run[0], run[1]);
        }),
      );
      parts.forEach(function (part) {
        part.forEach(function (chunk) {
          meta.blocks = meta.blocks.concat(chunk);
        });
      });
      return meta;
    }
    for (var i = 0; i < count; ) {
      // the first chunk alone (often enough), then every chunk held or read next at once
      var run = await file.chunks(i, i === 0 ? 0 : Math.max(i, file.heldThrough()), true);
      for (var k = 0; k < run.length; k++, i++) {
        if (enough && enough(meta.blocks, meta.table, file.offsets[i] - file.start)) return meta;
        meta.blocks = meta.blocks.concat(run[k]);
      }
    }
    return meta;
  };

  /* The one reader of a fragment file for as long as the index's generation lasts (it goes
     with the rest of the cache), so the next keystroke's results reuse the details and the
     chunks this one fetched and inflated: typing on, the results mostly stay the same. */
  Index.prototype.fragmentFile = function (doc) {
    var key = "reader f/" + doc + ".bin";
    if (!this.cache.has(key)) this.cache.set(key, new FragmentFile(this, this.genPath("f/" + doc + ".bin")));
    return this.cache.get(key);
  };

  /* Chunk numbers as runs of neighbours [[first, last], ...], each read with one request. */
  function runsOf(numbers) {
    var runs = [];
    Array.from(numbers)
      .sort(function (a, b) {
        return a - b;
      })
      .forEach(function (n) {
        var last = runs[runs.length - 1];
        if (last && last[1] === n - 1) last[1] = n;
        else runs.push([n, n]);
      });
    return runs;
  }

  /* Runs with at most RUN_GAP bytes between them (offsets: where each chunk starts), joined. */
  function joinNear(runs, offsets) {
    var joined = [];
    runs.forEach(function (run) {
      var last = joined[joined.length - 1];
      if (last && offsets[run[0]] - offsets[last[1] + 1] <= RUN_GAP) last[1] = run[1];
      else joined.push(run.slice());
    });
    return joined;
  }

  /* The chunks (by number) to read for `limit` snippets: those holding the most terms (then
     the earliest), up to `limit` of them — but no more once the chunks taken hold `limit`
     matches of every term, as a single chunk often does: its blocks give the snippets.
     `end`: where the body ends (matches after it are in the speech's details, in no chunk). */
  function hintedChunks(starts, hints, limit, end) {
    var terms = new Map();
    var matches = new Map();
    hints.forEach(function (positions, term) {
      for (var i = 0; i < positions.length; i++) {
        if (end !== undefined && positions[i] >= end) continue; // in the details
        var chunk = chunkAt(starts, positions[i]);
        if (chunk < 0) continue; // in the title
        if (!terms.has(chunk)) terms.set(chunk, new Set());
        terms.get(chunk).add(term);
        matches.set(chunk, (matches.get(chunk) || 0) + 1);
      }
    });
    var ranked = Array.from(terms.keys()).sort(function (a, b) {
      return terms.get(b).size - terms.get(a).size || a - b;
    });
    var taken = new Set();
    var held = 0;
    for (var r = 0; r < ranked.length && taken.size < limit && held < limit * hints.length; r++) {
      taken.add(ranked[r]);
      held += matches.get(ranked[r]);
    }
    return taken;
  }

  function chunkAt(starts, position) {
    var lo = 0;
    var hi = starts.length - 1;
    if (!starts.length || position < starts[0]) return -1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= position) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /* One fragment file read by ranges: first its start (the details, often the first chunks),
     then further parts as needed, each fetched and inflated once. */
  function FragmentFile(index, path) {
    this.index = index;
    this.path = path;
    this.have = null;
    this.start = 0;
    this.offsets = []; // where each chunk starts in the file, and where the last ends
    this.meta = null;
    this.inflated = new Map(); // chunk number → its blocks
  }

  FragmentFile.prototype.fetch = function (from, length) {
    return this.index.bytes(this.path, [from, length], { cache: "no-cache" });
  };

  /* The details, read with the first `first` bytes the first time they are asked for. */
  FragmentFile.prototype.head = function (first) {
    var self = this;
    if (!this.meta) {
      this.meta = this.readHead(first);
      this.meta.catch(function () {
        self.meta = null;
      });
    }
    return this.meta;
  };

  FragmentFile.prototype.readHead = async function (first) {
    this.have = await this.fetch(0, first);
    var r = new Reader(this.have);
    var length = r.varint();
    var start = r.at + length;
    var head = JSON.parse(new TextDecoder().decode(await this.read(r.at, start)));
    head.table = head.fold ? tableFrom(head.fold) : null;
    var offsets = [start];
    (head.chunks || []).forEach(function (size, i) {
      offsets.push(offsets[i] + size);
    });
    this.start = start;
    this.offsets = offsets;
    return head;
  };

  /* The blocks of chunks first..last, as one array per chunk, inflated in one call. `ahead`:
     a read that fetches reads ahead (see read), so the next chunks often come with these. */
  FragmentFile.prototype.chunks = async function (first, last, ahead) {
    var offsets = this.offsets;
    var gap = this.notInflated(first, last);
    if (gap) {
      var bytes = await this.read(offsets[gap[0]], offsets[gap[1] + 1], ahead ? offsets[offsets.length - 1] : undefined);
      var run = await inflateChunks(bytes);
      for (var i = 0; i < run.length; i++) this.inflated.set(gap[0] + i, run[i]);
    }
    var out = [];
    for (var k = first; k <= last; k++) out.push(this.inflated.get(k));
    return out;
  };

  /* The last chunk whose bytes are all held (-1 if none). */
  FragmentFile.prototype.heldThrough = function () {
    var last = -1;
    while (last + 2 < this.offsets.length && this.offsets[last + 2] <= this.have.length) last++;
    return last;
  };

  /* [from, to]: the first and last of chunks first..last not yet inflated, or null. */
  FragmentFile.prototype.notInflated = function (first, last) {
    while (first <= last && this.inflated.has(first)) first++;
    while (last >= first && this.inflated.has(last)) last--;
    return first <= last ? [first, last] : null;
  };

  /* Bytes [from, to) of the file. What is missing is fetched, reading ahead to `ahead` (at
     most FRAGMENT_STEP bytes past the start; none when omitted), so the next chunk often
     comes with this one. Bytes that continue what is held are kept for later reads; reads of
     separate parts may run at once. */
  FragmentFile.prototype.read = async function (from, to, ahead) {
    if (to <= this.have.length) return this.have.subarray(from, to);
    var begin = Math.max(from, this.have.length);
    var end = Math.max(to, Math.min(ahead || to, begin + FRAGMENT_STEP));
    var bytes = await this.fetch(begin, end - begin);
    if (bytes.length < to - begin) throw new Error("search index: short fragment " + this.path);
    if (begin === this.have.length) {
      this.have = join(this.have, bytes);
      return this.have.subarray(from, to);
    }
    return bytes.subarray(from - begin, to - begin);
  };

  function join(a, b) {
    var joined = new Uint8Array(a.length + b.length);
    joined.set(a);
    joined.set(b, a.length);
    return joined;
  }

  /* A run of neighbouring chunks, as [[block, ...], ...]. The chunks are cut from one raw
     deflate stream, fully flushed after each, so a run needs only an end: an empty final
     block. One DecompressionStream per run, written to directly: a Blob's stream costs the
     page several times as much (a Blob is registered with the browser process), and each
     stream costs about a millisecond however small its input. */
  var FINAL_BLOCK = new Uint8Array([3, 0]);

  async function inflateChunks(bytes) {
    var stream = new DecompressionStream("deflate-raw");
    var writer = stream.writable.getWriter();
    writer.write(bytes).catch(ignore);
    writer.write(FINAL_BLOCK).catch(ignore);
    writer.close().catch(ignore);
    var lines = (await new Response(stream.readable).text()).split("\n");
    return lines.slice(0, -1).map(function (line) {
      return JSON.parse(line);
    });
  }

  function ignore() {} // a write's failure also fails the read, which reports it

  /* The matching speeches, ranked (a Ranking), and the folded terms. */
  /* A file of the index's generation that is gone (404) means a newer build was published
     since index.json was read: read it again and search the new version, once. */
  Index.prototype.search = async function (query) {
    try {
      return await this.searchOnce(query);
    } catch (error) {
      var version = this.manifest && this.manifest.version;
      if (!error || error.status !== 404 || !version) throw error;
      this.loadedAt = -Infinity;
      await this.load();
      if (this.manifest.version === version) throw error;
      return this.searchOnce(query);
    }
  };

  Index.prototype.searchOnce = async function (query) {
    var manifest = await this.load();
    var table = needsTable(query, manifest, this.bitmap) ? await this.loadTable() : null;
    var plan = queryPlan(query, table);
    var terms = plan.terms;
    if (!plan.groups.length) return { terms: terms, results: rank([], 0) };
    var self = this;
    var multi = plan.groups.length > 1;
    var matches = await Promise.all(
      plan.groups.map(async function (group) {
        return unionMatches(
          await Promise.all(
            group.map(function (term) {
              return matchTerm(term, self, multi);
            }),
          ),
        );
      }),
    );
    var results = rank(matches, manifest.docs);
    if (plan.excluded.length) {
      var unwanted = new Set();
      (
        await Promise.all(
          plan.excluded.map(function (term) {
            return matchTerm(term, self, false);
          }),
        )
      ).forEach(function (found) {
        found.forEach(function (_, doc) {
          unwanted.add(doc);
        });
      });
      results = results.filter(function (doc) {
        return !unwanted.has(doc);
      });
    }
    return { terms: terms, results: results };
  };

  function base64Bytes(text) {
    var binary = typeof atob === "function" ? atob(text) : Buffer.from(text, "base64").toString("binary");
    var out = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  }

  /* Filters: facets.bin has, per speech, year index + 1, level index + 1, topic bits. */
  function passes(facets, manifest, doc, filter) {
    var width = 2 + ((manifest.topics.length + 7) >> 3);
    var row = doc * width;
    if (filter.year && manifest.years[facets[row] - 1] !== Number(filter.year)) return false;
    if (filter.level && manifest.levels[facets[row + 1] - 1] !== filter.level) return false;
    if (filter.topic) {
      var bit = manifest.topics.findIndex(function (t) {
        return t.slug === filter.topic;
      });
      if (bit < 0 || !(facets[row + 2 + (bit >> 3)] & (1 << (bit & 7)))) return false;
    }
    return true;
  }

  /* --- the search page ------------------------------------------------------------------ */

  var PAGE_SIZE = 5;
  var ANNOUNCE_MS = 700; // the pause in typing after which the result count is read out
  var SNIPPETS = 2; // per result

  function startPage(doc) {
    var root = doc.getElementById("search");
    if (!root || typeof fetch === "undefined") return;
    var strings = JSON.parse(root.getAttribute("data-strings") || "{}");
    var index = new Index(root.getAttribute("data-index"));
    var input = doc.getElementById("search-input");
    var count = doc.querySelector("[data-search-count]");
    var list = doc.getElementById("search-results");
    var more = doc.getElementById("search-more");
    var template = doc.getElementById("search-result-template");
    var filters = Array.from(doc.querySelectorAll("[data-search-filter]"));
    var state = { seq: 0, results: [], shown: 0, terms: [], query: "" };

    /* The count shows at once; a screen reader hears it once typing pauses (ANNOUNCE_MS), not
       once a keystroke: 找到 95 篇, 64 篇, 25 篇 and 25 篇 again were each read out. */
    var status = doc.querySelector("[data-search-status]") || count;
    var announceTimer = 0;
    function say(text) {
      count.textContent = text;
      if (status === count) return;
      clearTimeout(announceTimer);
      announceTimer = setTimeout(function () {
        status.textContent = text;
      }, text ? ANNOUNCE_MS : 0);
    }

    function format(template, values) {
      return template.replace(/\{(\w+)\}/g, function (_, name) {
        return values[name] !== undefined ? values[name] : "";
      });
    }

    // A count in words: the string `key`, or its singular form `<key>_one` for one where the
    // language has one ("1 speech found"), as the build's counted() does.
    function counted(key, count, fallback) {
      var template = (count === 1 && strings[key + "_one"]) || strings[key] || fallback;
      return format(template, { count: count });
    }

    function currentFilter() {
      var filter = {};
      filters.forEach(function (select) {
        if (select.value) filter[select.getAttribute("data-search-filter")] = select.value;
      });
      return filter;
    }

    /* While the reader types, the address follows once typing pauses: each change of it makes
       the browser record the entry and fetch and draw the page's icon again, work that would
       compete with the next keystroke's search. Leaving the page, or choosing a result or a
       filter, brings it up to date at once, so a shared or reloaded address holds the query. */
    var URL_DELAY = 400;
    var urlTimer = 0;
    /* The search the page was opened at (a shared link, ?q=…) keeps its history entry: the
       first new query pushes an entry of its own, the next ones replace that one, so Back
       returns to the linked search (typing replaced it). */
    var landed = location.search;
    var pushed = false;

    function syncUrlSoon() {
      clearTimeout(urlTimer);
      urlTimer = setTimeout(syncUrl, URL_DELAY);
    }

    function syncUrl() {
      clearTimeout(urlTimer);
      urlTimer = 0;
      var params = new URLSearchParams();
      if (input.value) params.set("q", input.value);
      var filter = currentFilter();
      Object.keys(filter).forEach(function (k) {
        params.set(k, filter[k]);
      });
      var search = params.toString() ? "?" + params.toString() : "";
      var url = location.pathname + search + location.hash;
      if (!pushed && landed && search !== landed) {
        pushed = true;
        history.pushState(null, "", url);
      } else {
        history.replaceState(null, "", url);
      }
    }

    /* Back (or Forward) between the linked search and the reader's own: show the search the
       address holds. */
    window.addEventListener("popstate", function () {
      var params = new URLSearchParams(location.search);
      input.value = queryFrom(params);
      filtersFrom(params);
      pushed = location.search !== landed;
      clearTimeout(urlTimer);
      urlTimer = 0;
      run();
    });

    async function run(event) {
      var typing = !!event && event.type === "input";
      var seq = ++state.seq;
      var query = input.value;
      var started = performance.now();
      var filter = currentFilter();
      var browsing = !query.trim(); // filters alone list every speech that passes them
      if (browsing && !Object.keys(filter).length) {
        syncUrl();
        list.replaceChildren();
        more.hidden = true;
        say("");
        root.removeAttribute("data-state");
        return;
      }
      root.setAttribute("data-state", "busy");
      try {
        var found = browsing ? await browseFiltered(filter) : await searchFiltered(query, filter);
        var results = found.results;
        if (seq !== state.seq) return;
        state.results = results;
        state.version = index.manifest.version;
        state.terms = found.terms;
        state.query = query;
        state.shown = 0;
        if (!results.length && browsing) {
          list.replaceChildren();
          more.hidden = true;
          say(strings.none_browse || "");
        } else if (!results.length) {
          list.replaceChildren();
          say(format(strings.none || "", { query: query.trim() }));
          await suggest(query, seq, filter);
        } else {
          await showMore(seq, true);
          if (seq !== state.seq) return;
          say(counted("count", results.length, "{count}"));
        }
        if (seq !== state.seq) return;
        root.setAttribute("data-state", "done");
        root.setAttribute("data-search-ms", String(Math.round(performance.now() - started)));
        root.dispatchEvent(new CustomEvent("speechsite:results", { detail: { query: query, count: results.length } }));
      } catch (error) {
        if (seq !== state.seq) return;
        say(strings.error || "搜索出错");
        root.setAttribute("data-state", "error");
        if (typeof console !== "undefined") console.warn(error);
      }
      /* The address follows the query once the results are up: changing it makes the browser
         fetch and redraw the page's icon, work that would otherwise compete with the search. */
      if (seq === state.seq) (typing ? syncUrlSoon : syncUrl)();
    }

    /* With no query, every speech that passes the filters, the newest year first: a reader who
       picks 2026 or 省 before typing expects that year's or level's speeches, and saw a blank. */
    async function browseFiltered(filter) {
      var facets = await index.facets();
      var manifest = index.manifest;
      var width = 2 + ((manifest.topics.length + 7) >> 3);
      var docs = [];
      for (var doc = 0; doc * width < facets.length; doc++) {
        if (passes(facets, manifest, doc, filter)) docs.push(doc);
      }
      function year(doc) {
        return manifest.years[facets[doc * width] - 1] || 0;
      }
      docs.sort(function (a, b) {
        return year(b) - year(a) || a - b;
      });
      return {
        terms: [],
        results: docs.map(function (doc) {
          return { doc: doc, score: 0, hints: NO_HINTS };
        }),
      };
    }

    /* The ranked matches of `query` that pass the filters (facets fetched only when one is set). */
    async function searchFiltered(query, filter) {
      var found = await index.search(query);
      if (!Object.keys(filter).length) return found;
      var facets = await index.facets();
      return {
        terms: found.terms,
        results: found.results.filter(function (doc) {
          return passes(facets, index.manifest, doc, filter);
        }),
      };
    }

    /* "No results": offer each term alone, or the term without its last character. */
    /* "No results": a query with fewer words — each term alone, or a shorter piece of a single
       term, longest first, down to two characters (放管服改革 → 放管服) — that the filters let
       through; and, when the filters are what excluded every match, say so and offer to clear
       them. */
    async function suggest(query, seq, filter) {
      if (Object.keys(filter).length) {
        var unfiltered = (await searchFiltered(query, {})).results;
        if (seq !== state.seq) return;
        if (unfiltered.length) return offerClearing(query, unfiltered.length);
      }
      for (var candidate of suggestions(query, SUGGEST_CHARS)) {
        var results = (await searchFiltered(candidate, filter)).results;
        if (seq !== state.seq) return;
        if (results.length) {
          var p = doc.createElement("p");
          p.className = "search-suggestion";
          p.append(strings.suggest || "");
          var a = doc.createElement("a");
          var params = new URLSearchParams(filter);
          params.set("q", candidate);
          a.href = "?" + params.toString();
          a.textContent = candidate;
          a.addEventListener("click", function (event) {
            event.preventDefault();
            input.value = candidate;
            run();
          });
          p.append(a, counted("suggest_count", results.length, ""));
          listNote(p);
          return;
        }
      }
    }

    var SUGGEST_CHARS = 12; // pieces of at most this long a term are tried

    function offerClearing(query, count) {
      say(format(strings.none_filtered || strings.none || "", { query: query.trim(), count: count }));
      var p = doc.createElement("p");
      p.className = "search-suggestion";
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "search-clear-filters";
      button.textContent = strings.clear_filters || "";
      button.addEventListener("click", function () {
        filters.forEach(function (select) {
          select.value = "";
        });
        run();
        input.focus();
      });
      p.append(button);
      listNote(p);
    }

    /* A note where results would be ("no results": a suggestion, or clearing the filters). */
    function listNote(p) {
      var li = doc.createElement("li");
      li.className = "search-empty";
      li.append(p);
      list.append(li);
    }

    /* The next page of results; `replace`: instead of what the list shows, swapped in only once
       the new results are ready, so the list never flickers empty between keystrokes. */
    /* The next results' details and snippets. Results are speech numbers of the build they
       were found in: once another build is published (index.json, read again after 30 s,
       names a new version; or a fragment is gone) the query is searched again instead. */
    async function showMore(seq, replace) {
      if (!replace && (await published(seq))) return;
      var batch = state.results.slice(state.shown, state.shown + PAGE_SIZE);
      state.shown += batch.length;
      var gone = false;
      var fragments = await Promise.all(
        batch.map(function (r) {
          return index.fragment(r.doc, snippetsEnough(state.terms, index.table, SNIPPETS), r.hints, SNIPPETS).catch(function (error) {
            gone = gone || (!!error && error.status === 404);
            return null;
          });
        }),
      );
      if (seq !== state.seq) return;
      if (gone) index.loadedAt = -Infinity;
      if (gone && (await published(seq))) return;
      var items = fragments.filter(Boolean).map(renderResult);
      if (replace) list.replaceChildren.apply(list, items);
      else list.append.apply(list, items);
      more.hidden = state.shown >= state.results.length;
    }

    /* Whether a build newer than the results' was published: then the query runs again. */
    async function published(seq) {
      try {
        await index.load();
      } catch (error) {
        return false;
      }
      if (seq !== state.seq || index.manifest.version === state.version) return false;
      run();
      return true;
    }

    /* `items` ([text, lang, other forms]) marked and joined by " · "; an item with a lang in a
       span of it. An item the query matches only in one of its other forms is marked whole. */
    function markedList(element, items, table) {
      function found(form) {
        return findRanges(form, state.terms, table).length > 0;
      }
      element.textContent = "";
      items
        .filter(function (item) {
          return item[0];
        })
        .forEach(function (item, i) {
          if (i) element.append(doc.createTextNode(" · "));
          var holder = element;
          if (item[1]) {
            holder = doc.createElement("span");
            holder.lang = item[1];
            element.append(holder);
          }
          var ranges = findRanges(item[0], state.terms, table);
          if (!ranges.length && (item[2] || []).some(found)) {
            ranges = [[0, item[0].length]]; // found as another form of it: marked whole
          }
          appendParts(holder, cut(item[0], ranges, 1000), true);
        });
    }

    function renderResult(fragment) {
      var item = template.content.firstElementChild.cloneNode(true);
      var table = mergeTables(index.table, fragment.table);
      item.setAttribute("data-search-result", fragment.url);
      var title = item.querySelector("[data-field=title]");
      var titleParts = cut(fragment.title, findRanges(fragment.title, state.terms, table), 1000);
      var found = snippets(fragment.blocks, state.terms, table, SNIPPETS, 90);
      var hits = hitTexts(
        [titleParts].concat(
          found.map(function (snippet) {
            return snippet.parts;
          }),
        ),
      );
      title.href = hitLink(fragment.url, hits, "");
      appendParts(title, titleParts);
      // the speaker, occasion, date and topics a result was found by are marked, as the title is;
      // on a site in another language, the speech's own words are in its language, as the title
      // is (the template gives the title the speeches' lang), and the date in the page's
      var lang = title.parentNode.getAttribute("lang");
      var holder = item.querySelector("[data-field=snippets]");
      if (fragment.lang) {
        // a speech in another language than the page's (an English address): its title and
        // text are in its own, as on its page; speaker and occasion are the archive's
        title.parentNode.lang = holder.lang = fragment.lang;
      }
      // (an Arabic speech's set right to left, as on its page)
      if (fragment.dir) title.parentNode.dir = holder.dir = fragment.dir;
      var meta = item.querySelector("[data-field=meta]");
      // (the date as the page shows it, 2023年3月5日, is marked when a query wrote it 2023-03-05
      // or 2023.3.5: `dates`, the other forms the index finds it by)
      var date = [fragment.date, null, fragment.dates];
      markedList(meta, [[fragment.speaker, lang], [fragment.occasion, lang], date], table);
      var topics = item.querySelector("[data-field=topics]");
      if (fragment.topics.length) {
        markedList(
          topics,
          fragment.topics.map(function (topic) {
            return [topic, lang];
          }),
          table,
        );
      } else topics.remove();
      found.forEach(function (snippet) {
        var li = doc.createElement("li");
        var a = doc.createElement("a");
        a.href = hitLink(fragment.url, hits, snippet.anchor);
        appendParts(a, snippet.parts);
        li.append(a);
        holder.append(li);
      });
      if (!holder.children.length) holder.remove();
      return item;
    }

    /* Text nodes and <mark> elements only: speech text is never parsed as HTML. */
    function appendParts(element, parts, adding) {
      if (!adding) element.textContent = "";
      parts.forEach(function (part) {
        if (part.mark) {
          var mark = doc.createElement("mark");
          mark.textContent = part.text;
          element.append(mark);
        } else {
          element.append(doc.createTextNode(part.text));
        }
      });
    }

    function links() {
      return Array.from(list.querySelectorAll("[data-search-result] a"));
    }

    /* While an input method composes (pinyin ying'shang before 营商 is chosen), the box holds
       letters the reader has not chosen yet: the search waits for the composition's end. */
    input.addEventListener("input", function (event) {
      if (!event.isComposing) run(event);
    });
    input.addEventListener("compositionend", function () {
      run({ type: "input" });
    });
    function syncPending() {
      if (urlTimer) syncUrl();
    }
    list.addEventListener("click", syncPending, true);
    window.addEventListener("pagehide", syncPending);
    filters.forEach(function (select) {
      select.addEventListener("change", run);
    });
    root.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      run();
    });
    more.addEventListener("click", function () {
      var first = state.shown;
      showMore(state.seq).then(function () {
        var all = list.querySelectorAll("[data-search-result]");
        var next = all[first] && all[first].querySelector("a");
        if (next) next.focus();
        remember();
      });
    });

    /* Back from a result: where the browser keeps no copy of the page (its back/forward cache
       evicted it, or never holds pages), the query runs again — with as many results shown as
       the reader had opened, at the place they had scrolled to (kept in history.state). */
    function remember() {
      history.replaceState({ query: state.query, shown: state.shown, scroll: window.scrollY }, "");
    }
    var returned = history.state; // (read before a run replaces it)
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    window.addEventListener("pagehide", remember);
    list.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("a")) remember();
    });
    async function restore() {
      var saved = returned;
      returned = null;
      if (!saved || saved.query !== state.query || !state.results.length) return;
      var seq = state.seq;
      while (state.shown < saved.shown && state.shown < state.results.length && seq === state.seq) {
        await showMore(seq);
      }
      if (seq === state.seq) window.scrollTo(0, saved.scroll || 0);
    }
    /* Arrows move between results and the box; Enter follows the focused link (native). */
    root.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Escape") return;
      var all = links();
      var at = all.indexOf(doc.activeElement);
      if (event.key === "Escape") {
        if (at >= 0) {
          input.focus();
          event.preventDefault();
        }
        return;
      }
      if (!all.length || (doc.activeElement !== input && at < 0)) return;
      event.preventDefault();
      if (event.key === "ArrowDown") (all[at + 1] || all[all.length - 1]).focus();
      else if (at <= 0) input.focus();
      else all[at - 1].focus();
    });

    /* Filter choices come from index.json, so the page need not change when speeches do. */
    function fillFilters(manifest) {
      var choices = {
        topic: manifest.topics.map(function (t) {
          return [t.slug, t.name];
        }),
        level: manifest.levels.map(function (l) {
          return [l, l];
        }),
        year: manifest.years
          .slice()
          .reverse()
          .map(function (y) {
            return [String(y), String(y)];
          }),
      };
      filters.forEach(function (select) {
        (choices[select.getAttribute("data-search-filter")] || []).forEach(function (choice) {
          var option = doc.createElement("option");
          option.value = choice[0];
          option.textContent = choice[1];
          select.append(option);
        });
      });
      var box = root.querySelector("[data-search-filters]");
      if (box) box.hidden = false;
    }

    /* The query and the filters an address holds (a link, or Back to one). */
    function queryFrom(params) {
      // (as long as the box takes: a pasted page of text would ask for hundreds of buckets; not
      // half a character: a cut inside an emoji's pair showed �)
      var linked = params.get("q") || "";
      if (input.maxLength > 0 && linked.length > input.maxLength) {
        linked = linked.slice(0, input.maxLength).replace(/[\ud800-\udbff]$/, "");
      }
      return linked;
    }
    function filtersFrom(params) {
      filters.forEach(function (select) {
        select.value = params.get(select.getAttribute("data-search-filter")) || "";
      });
    }

    var params = new URLSearchParams(location.search);
    input.value = queryFrom(params);
    index
      .load()
      .then(function (manifest) {
        fillFilters(manifest);
        filtersFrom(params);
        if (input.value || Object.keys(currentFilter()).length) run().then(restore);
      })
      .catch(function () {
        say(strings.error || "");
      });
  }

  return {
    fold: fold,
    foldWithOffsets: foldWithOffsets,
    searchFold: searchFold,
    unmarkNumbers: unmarkNumbers,
    tableFrom: tableFrom,
    needsTable: needsTable,
    parseQuery: parseQuery,
    queryPlan: queryPlan,
    suggestions: suggestions,
    keyHash: keyHash,
    bucketOf: bucketOf,
    findEntry: findEntry,
    decodeDocs: decodeDocs,
    decodePositions: decodePositions,
    chooseCover: chooseCover,
    matchTerm: matchTerm,
    minimalSpan: minimalSpan,
    rank: rank,
    findRanges: findRanges,
    snippets: snippets,
    enoughSnippets: enoughSnippets,
    snippetsEnough: snippetsEnough,
    cut: cut,
    hitTexts: hitTexts,
    hitLink: hitLink,
    passes: passes,
    RUN_GAP: RUN_GAP,
    joinNear: joinNear,
    Index: Index,
    startPage: startPage,
  };
});
