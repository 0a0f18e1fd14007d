// The core of themes/default/static/js/search.js in node, checked against the Python side
// (tests/js/fixtures/, written by tests/js/fixtures.py): folding, key hashes, bucket decoding,
// matching, ranking, snippets and Index.search over an index read from disk.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { diskFetch } from "./fsfetch.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
// SEARCH_JS: another copy of search.js to test, such as the minified one a build writes.
const search = require(
  process.env.SEARCH_JS || join(here, "../../themes/default/static/js/search.js"),
);
const expected = JSON.parse(readFileSync(join(here, "fixtures/expected.json"), "utf8"));
const indexFolder = join(here, "fixtures/index");
const t2s = JSON.parse(readFileSync(join(indexFolder, "t2s.json"), "utf8"));
const table = search.tableFrom(t2s);

test("fold equals Python's fold", () => {
  for (const [text, folded] of expected.fold) {
    assert.equal(search.fold(text, table), folded, JSON.stringify(text));
  }
  assert.equal(search.fold("營商環境", null), "營商環境"); // the table does the mapping
  assert.equal(search.fold("ＡＩ", null), "ai");
});

test("searchFold marks numbers' edges as Python's search_fold does", () => {
  for (const [text, folded] of expected.searchFold) {
    assert.equal(search.searchFold(text, table).text, folded, JSON.stringify(text));
    // (a year in Chinese numerals comes back in digits)
    if (!/[〇○零一二三四五六七八九]{4}/.test(text)) assert.equal(search.unmarkNumbers(folded), search.fold(text, table), text);
  }
});

test("foldWithOffsets maps folded code units back to the original", () => {
  const { text, offsets } = search.foldWithOffsets("ＡＩ𠮷營商", table);
  assert.equal(text, "ai𠮷营商");
  assert.deepEqual(offsets, [0, 1, 2, 2, 4, 5, 6]);
});

test("parseQuery folds, splits on spaces, drops duplicates", () => {
  assert.deepEqual(search.parseQuery("  營商環境　作风 营商环境 ", table), ["营商环境", "作风"]);
  assert.deepEqual(search.parseQuery("   ", table), []);
});

test("parseQuery drops control characters (%00 in a link) and folds quotes and ○ as the index does", () => {
  assert.deepEqual(search.parseQuery("营商\u0000 环\u0001境", table), ["营商", "环境"]);
  assert.deepEqual(search.parseQuery('下好"先手棋",立即', table), [search.fold("下好“先手棋”，立即", table)]);
  assert.deepEqual(search.parseQuery("二○三五年", table), search.parseQuery("二〇三五年", table));
  assert.deepEqual(search.parseQuery("二零三五年", table), search.parseQuery("二〇三五年", table));
});

test("queryPlan reads OR, |, a leading minus or plus and AND as reader.py's query_plan does", () => {
  const plan = search.queryPlan("OR 营商环境 OR 落实 －作风 -作风 +营商环境 AND 落实", table);
  assert.deepEqual(plan.groups, [["营商环境", "落实"], ["营商环境"], ["落实"]]);
  assert.deepEqual(plan.excluded, ["作风"]);
  assert.deepEqual(plan.terms, ["营商环境", "落实"]);
  assert.deepEqual(search.queryPlan("营商环境 | 作风 or -", table).groups, [["营商环境", "作风"], ["or"], ["-"]]); // a minus alone is a word
  assert.deepEqual(search.parseQuery("a-b 5-2", table), [search.searchFold("a-b", table).text, search.searchFold("5-2", table).text]);
});

test("suggestions are the query's own pieces, never folded fragments (probe 10 #8)", () => {
  assert.deepEqual(search.suggestions("营商环境，优化", 12), ["营商环境", "优化"]);
  assert.deepEqual(search.suggestions("，，，", 12), []);
  assert.deepEqual(search.suggestions("“六稳”“六保”", 12), ["六稳", "六保"]);
  assert.deepEqual(search.suggestions("營商環境甲", 12).slice(0, 3), ["營商環境", "商環境甲", "營商環"]);
  assert.deepEqual(search.suggestions("增长5.2%的", 12).slice(0, 2), ["增长5.2%", "长5.2%的"]);
  assert.deepEqual(search.suggestions("营商环境 -作风 OR 落实工作", 12), ["营商环境", "落实工作"]);
  assert.deepEqual(search.suggestions("甲", 12), []);
});

test("suggestions never cut a Latin word or a number, nor keep a mark a cut left (probe 20)", () => {
  for (const word of ["ChatGPT", "APP", "IPv6", "ESG", "ＡＰＰ", "2025.3"]) assert.deepEqual(search.suggestions(word, 12), [], word);
  assert.deepEqual(search.suggestions("ChatGPT应用", 12), ["ChatGPT应", "ChatGPT", "应用"]);
  assert.deepEqual(search.suggestions("2023—2025", 12), ["2023", "2025"]); // a Chinese dash parts them
  assert.deepEqual(search.suggestions("2025/3/5", 12).slice(0, 2), ["2025/3", "2025"]);
  assert.deepEqual(search.suggestions("增长５．２％的", 12).slice(0, 3), ["增长５．２％", "长５．２％的", "５．２％的"]);
  assert.deepEqual(search.suggestions("二○二五年度计划", 12)[0], "二○二五年度计"); // ○ is a year's zero
});

test("parseQuery reads a full stop between Chinese characters as a name's dot, as reader.py does", () => {
  assert.deepEqual(search.parseQuery("艾尔肯.吐尼亚孜 艾尔肯．吐尼亚孜 5.2%", table), ["艾尔肯吐尼亚孜", search.searchFold("5.2%", table).text]);
  assert.deepEqual(search.parseQuery("“十四五”规划", table), ["十四五规划"]);
});

test("needsTable only for characters with a traditional mapping", () => {
  const manifest = JSON.parse(readFileSync(join(indexFolder, "index.json"), "utf8"));
  const bitmap = Uint8Array.from(Buffer.from(manifest.tableBitmap, "base64"));
  assert.equal(search.needsTable("营商环境 作风 abc", manifest, bitmap), false);
  assert.equal(search.needsTable("營商", manifest, bitmap), true);
  assert.equal(search.needsTable("营商環境", manifest, bitmap), true);
});

test("keyHash and bucketOf equal Python's key_hash", () => {
  for (const k of expected.keys) {
    assert.equal(search.keyHash(k.c1, k.c2), k.hash, k.key);
    assert.equal(String(search.bucketOf(k.c1, k.c2, expected.bucketBits)), k.bucket, k.key);
  }
});

function bucketBytes(name) {
  return new Uint8Array(readFileSync(join(indexFolder, "g/b", name)));
}

function part(k, entry, ref, bucket) {
  if (ref.inline !== undefined) return bucket.subarray(ref.inline, ref.inline + ref.length);
  const pack = bucketBytes(`${k.bucket}.x`);
  return pack.subarray(ref.pack, ref.pack + ref.length);
}

test("findEntry, decodeDocs and decodePositions read real buckets (inline and pack)", () => {
  let packed = 0;
  for (const k of expected.keys) {
    const bucket = bucketBytes(`${k.bucket}.bin`);
    const entry = search.findEntry(bucket, k.c1, k.c2);
    if (k.docs === null) {
      assert.equal(entry, null, k.key);
      continue;
    }
    assert.equal(entry.df, k.docs.length, k.key);
    if (entry.docs.pack !== undefined) packed++;
    const list = search.decodeDocs(part(k, entry, entry.docs, bucket), entry.df);
    assert.deepEqual(Array.from(list.docs), k.docs, k.key);
    assert.deepEqual(Array.from(list.counts), k.counts, k.key);
    assert.deepEqual(Array.from(list.zones), k.zones, k.key);
    if (k.positions) {
      const positions = search.decodePositions(part(k, entry, entry.positions, bucket), list);
      const each = Array.from({ length: positions.length }, (_, i) => Array.from(positions.of(i)));
      assert.deepEqual(each, k.positions, k.key);
      each.forEach((own, i) =>
        own.forEach((value) => {
          assert.ok(positions.has(i, value) && !positions.has(i, value + 0.5), k.key);
        }),
      );
    } else {
      assert.equal(entry.positions, null, k.key);
    }
  }
  assert.ok(packed > 0, "some fixture lists sit in pack files");
});

test("Index.list reads a key's packed documents and positions with one range request", async () => {
  let both = 0;
  for (const k of expected.keys) {
    if (!k.positions) continue;
    const entry = search.findEntry(bucketBytes(`${k.bucket}.bin`), k.c1, k.c2);
    const log = [];
    const index = await loaded(log);
    await index.load();
    const list = await index.list(k.c1, k.c2, true);
    assert.deepEqual(Array.from(list.docs), k.docs, k.key);
    const each = Array.from({ length: list.positions.length }, (_, i) => Array.from(list.positions.of(i)));
    assert.deepEqual(each, k.positions, k.key);
    const packed = log.filter((line) => line.includes(".x?v=v1 "));
    const parts = [entry.docs, entry.positions].filter((ref) => ref.pack !== undefined);
    assert.equal(packed.length, parts.length ? 1 : 0, k.key);
    if (parts.length === 2) both++;
  }
  assert.ok(both > 0, "some fixture keys have both parts in the pack");
});

test("chooseCover picks the cheapest covering pairs", () => {
  assert.deepEqual(search.chooseCover([5]), [0]);
  assert.deepEqual(search.chooseCover([1, 9, 1]), [0, 2]);
  assert.deepEqual(search.chooseCover([1, 1, 1]), [0, 2]);
  assert.deepEqual(search.chooseCover([1, 5, 1, 1]), [0, 2, 3]);
  assert.deepEqual(search.chooseCover([9, 1, 9, 1, 9]), [0, 1, 3, 4]);
  assert.deepEqual(search.chooseCover([1, 9, 9, 1]), [0, 2, 3]);
});

test("minimalSpan is the smallest window holding every term", () => {
  assert.equal(search.minimalSpan([[0, 50], [48]]), 2);
  assert.equal(search.minimalSpan([[10], [3], [7]]), 7);
  assert.equal(search.minimalSpan([[0, 100, 200], [150, 400], [190]]), 50);
  assert.equal(search.minimalSpan([[5], []]), Infinity);
});

function hits(entries) {
  return new Map(entries.map(([doc, count, zone, positions]) => [doc, { count, zone, positions }]));
}

test("rank: title above heading above body, more above fewer, ties by number", () => {
  const zones = hits([[0, 1, 0, null], [1, 1, 1, null], [2, 1, 2, null], [3, 1, 3, null]]);
  assert.deepEqual(search.rank([zones], 100).slice().map((r) => r.doc), [3, 2, 1, 0]);
  const counts = hits([[0, 1, 0, null], [1, 5, 0, null], [2, 2, 0, null]]);
  assert.deepEqual(search.rank([counts], 100).slice().map((r) => r.doc), [1, 2, 0]);
  const ties = hits([[5, 2, 0, null], [1, 2, 0, null], [3, 2, 0, null]]);
  assert.deepEqual(search.rank([ties], 10).slice().map((r) => r.doc), [1, 3, 5]);
});

test("rank: with as many terms in their titles, the rarer term's title first (probe 20: 十七大 报告)", () => {
  const commonRows = [];
  for (let d = 0; d < 90; d++) commonRows.push(d === 1 || d === 2 ? [d, 2, 2, null] : [d, 1, 0, null]);
  const common = hits(commonRows);
  const rare = hits([[1, 2, 0, null], [2, 2, 0, null], [3, 1, 2, null], [4, 9, 0, null]]);
  assert.deepEqual(search.rank([rare, common], 94).slice().map((r) => r.doc), [3, 1, 2, 4]);
});

test("rank: closer terms above farther, every term required", () => {
  const first = hits([[0, 1, 0, [100]], [1, 1, 0, [100]], [2, 1, 0, [100]]]);
  const second = hits([[0, 1, 0, [900]], [1, 1, 0, [104]], [2, 1, 0, [130]], [7, 1, 0, [1]]]);
  assert.deepEqual(search.rank([first, second], 100).slice().map((r) => r.doc), [1, 2, 0]);
  assert.equal(search.rank([first, new Map()], 100).length, 0);
  assert.equal(search.rank([], 100).length, 0);
});

test("rank: a list ranked in place (one- and two-character terms) equals its hits ranked one by one", async () => {
  const varints = (values) =>
    Uint8Array.from(values.flatMap((v) => { const out = []; for (; v >= 128; v = Math.floor(v / 128)) out.push((v & 127) | 128); out.push(v); return out; }));
  const docs = [0, 2, 3, 7, 8, 9, 12, 40];
  const counts = [1, 3, 1, 1, 2, 3, 1, 1];
  const zones = [0, 0, 2, 1, 0, 0, 3, 0];
  const list = { docs: Int32Array.from(docs), counts: Int32Array.from(counts), zones: Uint8Array.from(zones) };
  const positions = docs.flatMap((_, i) => Array.from({ length: counts[i] }, (_, j) => (j === 0 ? 10 * i : 5)));
  list.positions = search.decodePositions(varints(positions), list);
  const inPlace = await search.matchTerm("营商", { list: async () => list }, true);
  const oneByOne = new Map(docs.map((doc, i) => [doc, { count: counts[i], zone: zones[i], positions: list.positions.of(i) }]));
  const ranked = search.rank([inPlace], 50).slice();
  assert.deepEqual(ranked, search.rank([oneByOne], 50).slice());
  assert.deepEqual(ranked.map((r) => r.doc), [12, 3, 7, 2, 9, 8, 0, 40]);
  assert.deepEqual(Array.from(ranked[0].hints[0]), [60]);
  // filtered: the same order, each result with its own hints
  const kept = search.rank([inPlace], 50).filter((doc) => doc % 2 === 0);
  assert.deepEqual(kept.slice(), ranked.filter((r) => r.doc % 2 === 0));
  assert.deepEqual(kept.slice(1, 3), ranked.filter((r) => r.doc % 2 === 0).slice(1, 3));
  assert.deepEqual(kept.slice(5, 99), []);
});

test("a number is marked whole, never inside a longer one (probe 10: 5.2% in 35.2%)", () => {
  const text = "外贸增长35.2%，全年增长５.２%，1、2月份";
  assert.deepEqual(search.findRanges(text, search.parseQuery("5.2%", table), table), [[14, 18]]);
  assert.deepEqual(search.findRanges(text, search.parseQuery("35.2", table), table), [[4, 8]]);
  assert.deepEqual(search.findRanges(text, search.parseQuery("2月份", table), table), [[21, 24]]);
  assert.deepEqual(search.findRanges("𠮷5个", search.parseQuery("5个", table), table), [[2, 4]]);
  assert.equal(search.unmarkNumbers(search.parseQuery("G20 2023年", table).join(" ")), "g20 2023年");
});

test("a year in Chinese numerals is found by its digits and the other way round (probe 20)", () => {
  const text = "一九五八年和1958年，一二三产业";
  assert.deepEqual(search.findRanges(text, search.parseQuery("1958年", table), table), [[0, 5], [6, 11]]);
  assert.deepEqual(search.findRanges(text, search.parseQuery("一九五八", table), table), [[0, 4], [6, 10]]);
  assert.deepEqual(search.parseQuery("二零二五年", table), search.parseQuery("2025年", table));
  assert.deepEqual(search.findRanges(text, search.parseQuery("一二三", table), table), [[12, 15]]);
  assert.deepEqual(search.findRanges(text, search.parseQuery("95", table), table), []);
  assert.equal(search.searchFold("一九·五八", table).text, search.fold("一九·五八", table));
});

test("findRanges maps matches back to original offsets (traditional, full width)", () => {
  const text = "優化營商環境，ＡＩ賦能，营商环境";
  assert.deepEqual(search.findRanges(text, ["营商环境"], table), [[2, 6], [12, 16]]);
  assert.deepEqual(search.findRanges(text, ["ai"], table), [[7, 9]]);
  assert.deepEqual(search.findRanges(text, ["营商", "商环境"], table), [[2, 6], [12, 16]]);
  assert.deepEqual(search.findRanges("𠮷营商", ["营商"], table), [[2, 4]]);
  assert.deepEqual(search.findRanges("作风", ["营商"], table), []);
});

test("cut makes a window with marked parts and ellipses", () => {
  const text = "一".repeat(100) + "营商环境" + "二".repeat(100);
  const parts = search.cut(text, [[100, 104]], 30);
  assert.equal(parts[0].text, "…");
  assert.deepEqual(parts.filter((p) => p.mark).map((p) => p.text), ["营商环境"]);
  assert.equal(parts[parts.length - 1].text, "…");
  const shown = parts.map((p) => p.text).join("");
  assert.ok(shown.length <= 30 + 2, shown);
  const whole = search.cut("营商环境", [[0, 4]], 30);
  assert.deepEqual(whole, [{ text: "营商环境", mark: true }]);
  const none = search.cut("abc", [], 2);
  assert.deepEqual(none, [{ text: "ab", mark: false }, { text: "…", mark: false }]);
});

test("hitTexts: the distinct marked texts of a result, in order, trimmed, at most 8", () => {
  const parts = (...texts) => texts.map((text, i) => ({ text, mark: i % 2 === 1 }));
  const lists = [parts("…在", "營商環境", "会议上"), parts("优化", " 营商环境 ", "，", "營商環境")];
  assert.deepEqual(search.hitTexts(lists), ["營商環境", "营商环境"]);
  assert.deepEqual(search.hitTexts([parts("无", "")]), []); // an empty mark is no hit
  const many = Array.from({ length: 12 }, (_, i) => parts("x", `词${i}`));
  assert.deepEqual(search.hitTexts(many), Array.from({ length: 8 }, (_, i) => `词${i}`));
  assert.deepEqual(search.hitTexts([parts("a", "长".repeat(101))]), []); // longer than 100
});

test("hitLink: the hits as h= parameters, before the paragraph's anchor", () => {
  assert.equal(search.hitLink("/s/a/", [], "p3"), "/s/a/#p3");
  assert.equal(search.hitLink("/s/a/", [], ""), "/s/a/");
  assert.equal(
    search.hitLink("/sub/s/a/", ["营商环境", "a&b=#"], "p12"),
    "/sub/s/a/?h=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83&h=a%26b%3D%23#p12",
  );
});

test("cut never cuts a match in two: the window reaches the end of one it started", () => {
  const text = "甲".repeat(18) + "营商环境" + "乙".repeat(20);
  const parts = search.cut(text, [[2, 4], [18, 22]], 20); // the window ends at 20
  const marked = parts.filter((p) => p.mark).map((p) => p.text);
  assert.deepEqual(marked, ["甲甲", "营商环境"]);
});

test("snippets: blocks with the most terms, in reading order, marks on the original text", () => {
  const blocks = [
    ["p1", "作风建设。"],
    ["p2", "優化營商環境，作风过硬。"],
    ["p3", "营商环境。"],
  ];
  const out = search.snippets(blocks, ["营商环境", "作风"], table, 2, 90);
  assert.deepEqual(out.map((s) => s.anchor), ["p1", "p2"]);
  const marked = out[1].parts.filter((p) => p.mark).map((p) => p.text);
  assert.deepEqual(marked, ["營商環境", "作风"]);
  assert.equal(out[1].parts.map((p) => p.text).join(""), "優化營商環境，作风过硬。");
  const one = search.snippets(blocks, ["营商环境"], table, 1, 90);
  assert.deepEqual(one.map((s) => s.anchor), ["p2"]);
  // markup in speech text stays text: parts are plain strings, never parsed
  const xss = search.snippets([["p1", "<script>x()</script>"]], ["script"], table, 1, 90);
  assert.deepEqual(xss[0].parts.map((p) => p.text), ["<", "script", ">x()</", "script", ">"]);
});

test("passes filters on facet bytes", () => {
  const manifest = { topics: [{ slug: "a" }, { slug: "b" }], years: [2019, 2020], levels: ["市", "县"] };
  const facets = Uint8Array.from([2, 1, 0b10, 0, 2, 0b01]);
  assert.equal(search.passes(facets, manifest, 0, { year: "2020" }), true);
  assert.equal(search.passes(facets, manifest, 1, { year: "2020" }), false);
  assert.equal(search.passes(facets, manifest, 0, { level: "市" }), true);
  assert.equal(search.passes(facets, manifest, 1, { level: "市" }), false);
  assert.equal(search.passes(facets, manifest, 0, { topic: "b" }), true);
  assert.equal(search.passes(facets, manifest, 0, { topic: "a" }), false);
  assert.equal(search.passes(facets, manifest, 1, { topic: "a", level: "县" }), true);
  assert.equal(search.passes(facets, manifest, 1, { topic: "zzz" }), false);
});

test("Index.search equals the Python reader's results, fetching parts by range", async () => {
  const log = [];
  const index = new search.Index("", diskFetch(indexFolder, log));
  for (const s of expected.searches) {
    const found = await index.search(s.query);
    assert.deepEqual(found.terms, s.terms, s.query);
    assert.deepEqual(found.results.slice().map((r) => r.doc), s.results.map((r) => r[0]), s.query);
    found.results.slice().forEach((r, i) => assert.ok(Math.abs(r.score - s.results[i][1]) < 1e-9, s.query));
  }
  assert.ok(log.some((line) => / bytes=\d+-\d+$/.test(line)), "pack files are read by range");
  assert.ok(log.includes("t2s.json"), "a traditional query fetched the table");
  assert.equal(log.filter((l) => l === "index.json").length, 1);
});

test("Index.search without the table for simplified queries", async () => {
  const log = [];
  const index = new search.Index("", diskFetch(indexFolder, log));
  await index.search("营商环境 作风");
  assert.ok(!log.includes("t2s.json"));
});

test("Index.search reports a missing file", async () => {
  const index = new search.Index("", diskFetch(join(here, "fixtures/no-such-folder")));
  await assert.rejects(index.search("营商"), /404/);
});

test("Index.search works with a server that ignores Range", async () => {
  const log = [];
  const index = new search.Index("", diskFetch(indexFolder, log, false));
  for (const s of expected.searches) {
    const found = await index.search(s.query);
    assert.deepEqual(found.results.slice().map((r) => r.doc), s.results.map((r) => r[0]), s.query);
  }
  assert.ok(log.some((line) => / bytes=\d+-\d+$/.test(line)));
});

test("a newer version of the index, seen after the manifest's TTL, drops everything fetched for the old one", async () => {
  let version = "old";
  const fetched = [];
  const fetcher = async (url) => {
    fetched.push(url);
    const body = url.endsWith("index.json")
      ? JSON.stringify({ gen: "g", version, tableBitmap: "", docs: 1, bucketBits: 6, topics: [], levels: [], years: [] })
      : "x";
    return new Response(body, { status: 200 });
  };
  const index = new search.Index("/search/", fetcher);
  assert.equal((await index.load()).version, "old");
  await index.bytes("f/0.bin");
  await index.facets();
  await index.load(); // within the TTL: nothing fetched again
  assert.equal(fetched.filter((u) => u.endsWith("index.json")).length, 1);
  version = "new";
  index.loadedAt -= 60_000;
  assert.equal((await index.load()).version, "new");
  await index.bytes("f/0.bin");
  await index.facets();
  assert.equal(fetched.filter((u) => u.endsWith("f/0.bin")).length, 2); // not the old answer
  // The generation's files (same folder, rewritten in place) carry the version: new URLs,
  // which no HTTP cache between can answer with the old bytes.
  assert.deepEqual(
    fetched.filter((u) => u.includes("facets.bin")),
    ["/search/g/facets.bin?v=old", "/search/g/facets.bin?v=new"],
  );
});

test("Index.fragment reads every chunk when asked for the whole text", async () => {
  for (const [doc, want] of expected.fragments.entries()) {
    for (const ranges of [true, false]) {
      const index = new search.Index("", diskFetch(indexFolder, [], ranges));
      const fragment = await index.fragment(doc);
      assert.equal(fragment.title, want.title);
      assert.equal(fragment.url, `/speeches/${doc}/`);
      assert.deepEqual(fragment.blocks, want.blocks, want.title);
      assert.deepEqual(fragment.fold || {}, want.folds);
    }
  }
});

/* An Index on the fixture whose index.json is read, with `log` cleared after it: the log
   then holds only the fragment's requests. */
async function loaded(log) {
  const index = new search.Index("", diskFetch(indexFolder, log));
  await index.load();
  log.length = 0;
  return index;
}

test("Index.fragment stops reading once the chunks read hold the snippets", async () => {
  const doc = expected.fragments.findIndex((f) => f.title === "乡村振兴推进会讲话");
  const size = readFileSync(join(indexFolder, `g/f/${doc}.bin`)).length;
  const received = (log) =>
    log.reduce((sum, line) => {
      const m = / bytes=(\d+)-(\d+)$/.exec(line);
      return sum + (m ? Math.min(size - 1, Number(m[2])) - Number(m[1]) + 1 : size);
    }, 0);
  const early = [];
  const index = await loaded(early);
  const enough = search.snippetsEnough(["放管服"], null, 2);
  const first = await index.fragment(doc, enough);
  assert.ok(first.blocks.length >= 2 && first.blocks.length < 13, String(first.blocks.length));
  assert.deepEqual(first.blocks, expected.fragments[doc].blocks.slice(0, first.blocks.length));
  assert.ok(received(early) < size / 2, `${received(early)} of ${size} bytes`);
  assert.equal(early.length, 1, early.join("\n")); // the details and the first 16 KB of text

  const late = [];
  const rare = await (await loaded(late)).fragment(doc, (blocks) =>
    search.snippetsEnough(["乡村振兴"], null, 1)(blocks, null, 0),
  );
  assert.equal(rare.blocks.length, 13); // the term is in the last block: every chunk was read
  assert.equal(received(late), size);
  assert.ok(late.length > 2 && late.every((l) => / bytes=\d+-\d+$/.test(l)), late.join("\n"));
});

test("enoughSnippets: enough blocks holding every term, or one after 4 KB, or some after 16 KB", () => {
  assert.equal(search.enoughSnippets(2, 2, 0, 2), true);
  assert.equal(search.enoughSnippets(1, 2, 0, 1), false);
  assert.equal(search.enoughSnippets(1, 2, 4095, 1), false);
  assert.equal(search.enoughSnippets(1, 2, 4096, 1), true);
  assert.equal(search.enoughSnippets(0, 2, 16383, 1), false);
  assert.equal(search.enoughSnippets(0, 2, 16384, 1), true);
  // no block holds any term yet: read on, however far, for a first snippet
  assert.equal(search.enoughSnippets(0, 2, 16384, 0), false);
  assert.equal(search.enoughSnippets(0, 2, 1 << 20, 0), false);
});

test("snippetsEnough counts blocks holding every term, folding each block once", () => {
  const blocks = [
    ["p1", "营商环境"],
    ["p2", "營商環境，作风"],
    ["p3", "作风建设"],
  ];
  const both = ["营商环境", "作风"];
  assert.equal(search.snippetsEnough(both, table, 1)(blocks, null, 0), true);
  assert.equal(search.snippetsEnough(both, table, 2)(blocks, null, 0), false);
  assert.equal(search.snippetsEnough(both, null, 1)(blocks, null, 0), false); // no table, no fold
  assert.equal(search.snippetsEnough(both, null, 1)(blocks, table, 0), true); // the fragment's own
  assert.equal(search.snippetsEnough(["作风"], null, 2)(blocks, null, 0), true);
  const growing = search.snippetsEnough(["作风"], null, 2);
  assert.equal(growing(blocks.slice(0, 2), null, 0), false);
  assert.equal(growing(blocks, null, 0), true); // the third block, counted when it arrives
});

test("Index.fragment with the index's positions reads only the chunks holding the match", async () => {
  const log = [];
  const index = await loaded(log);
  const found = await index.search("全面推进乡村振兴");
  assert.equal(found.results.length, 1);
  const [result] = found.results.slice();
  assert.ok(result.hints.length === 1 && result.hints[0].length === 1);
  log.length = 0;
  const fragment = await index.fragment(result.doc, null, result.hints, 2);
  const want = expected.fragments[result.doc].blocks;
  assert.deepEqual(fragment.blocks.at(-1), want.at(-1)); // the last block, where the phrase is
  assert.ok(fragment.blocks.length < want.length / 2, String(fragment.blocks.length));
  // the details, then that chunk only
  const size = readFileSync(join(indexFolder, `g/f/${result.doc}.bin`)).length;
  const [, from, to] = / bytes=(\d+)-(\d+)$/.exec(log.at(-1));
  assert.ok(log.length === 2 && Number(from) > size / 2 && Number(to) === size - 1, log.join("\n"));
  const none = await index.fragment(result.doc, null, [Int32Array.from([1])], 2); // in the title
  assert.deepEqual(none.blocks, []);
});

test("joinNear: runs of chunks at most RUN_GAP bytes apart become one range", () => {
  const gap = search.RUN_GAP;
  // chunk c starts at offsets[c]; chunks 1, 3 and 5 are small, the others large
  const sizes = [gap + 1, gap, gap + 1, gap, gap + 1, gap, gap + 1];
  const offsets = [0];
  for (const n of sizes) offsets.push(offsets[offsets.length - 1] + n);
  assert.deepEqual(search.joinNear([[0, 0], [2, 2]], offsets), [[0, 2]]); // chunk 1 between
  assert.deepEqual(search.joinNear([[0, 0], [2, 2], [4, 6]], offsets), [[0, 6]]);
  assert.deepEqual(search.joinNear([[1, 1], [3, 3]], offsets), [[1, 1], [3, 3]]); // chunk 2 too big
  assert.deepEqual(search.joinNear([[0, 1], [2, 3]], offsets), [[0, 3]]); // neighbours
  assert.deepEqual(search.joinNear([], offsets), []);
});

test("Index.fragment reads hinted chunks together: one request per run of neighbours", async () => {
  const doc = expected.fragments.findIndex((f) => f.title === "乡村振兴推进会讲话");
  const all = await new search.Index("", diskFetch(indexFolder)).fragment(doc);
  const starts = all.starts;
  assert.ok(starts.length >= 8, String(starts.length));
  const blocksOf = async (chunks) => {
    const log = [];
    const hints = [Int32Array.from(chunks.map((c) => starts[c] + 1))];
    const fragment = await (await loaded(log)).fragment(doc, null, hints, 2);
    return { log, blocks: fragment.blocks };
  };
  const sizes = all.chunks; // compressed bytes of each chunk
  const between = (a, b) => sizes.slice(a + 1, b).reduce((sum, n) => sum + n, 0);
  const far = sizes.findIndex((_, b) => b > 2 && between(0, b) > search.RUN_GAP);
  assert.ok(far > 0, String(sizes));
  const apart = await blocksOf([far, 0]);
  assert.equal(apart.log.length, 3, apart.log.join("\n")); // the details, then two chunks
  const together = await blocksOf([3, 2]);
  assert.equal(together.log.length, 2, together.log.join("\n")); // the details, then one run
  // a chunk holding as many matches as snippets wanted is read on its own
  const log = [];
  const twice = [Int32Array.from([starts[4] + 1, starts[4] + 2, starts[6] + 1])];
  const alone = await (await loaded(log)).fragment(doc, null, twice, 2);
  assert.equal(log.length, 2, log.join("\n"));
  const chunk4 = await new search.Index("", diskFetch(indexFolder)).fragment(doc, null, [Int32Array.from([starts[4] + 1])], 1);
  assert.deepEqual(alone.blocks, chunk4.blocks);
  assert.ok(chunk4.blocks.length > 0 && chunk4.blocks.length < all.blocks.length / 4);
  for (const { blocks } of [apart, together]) {
    // whole blocks of the speech, in reading order
    const places = blocks.map((b) => all.blocks.findIndex((x) => x[0] === b[0] && x[1] === b[1]));
    assert.ok(places.every((p, i) => p >= 0 && (i === 0 || p > places[i - 1])), String(places));
  }
  assert.ok(together.blocks.length < all.blocks.length / 2);
});

test("Index.fragment reuses what an earlier call for the same speech fetched and inflated", async () => {
  const doc = expected.fragments.findIndex((f) => f.title === "乡村振兴推进会讲话");
  const want = expected.fragments[doc].blocks;
  const log = [];
  const index = await loaded(log);
  const first = await index.fragment(doc, search.snippetsEnough(["放管服"], null, 2));
  const fetched = log.length;
  assert.ok(fetched >= 1 && first.blocks.length < want.length);
  // the next keystroke: the same speech, its first chunks again, then one further on
  const again = await index.fragment(doc, search.snippetsEnough(["放管服"], null, 2));
  assert.deepEqual(again.blocks, first.blocks);
  assert.equal(log.length, fetched, log.join("\n"));
  again.blocks.push(["x", "y"]); // each call's blocks are its own
  const starts = again.starts;
  const later = await index.fragment(doc, null, [Int32Array.from([starts[0] + 1])], 1);
  assert.equal(log.length, fetched, "a chunk already read is not fetched again");
  assert.deepEqual(later.blocks, want.slice(0, later.blocks.length));
  const last = await index.fragment(doc, null, [Int32Array.from([starts.at(-1) + 1])], 1);
  assert.equal(log.length, fetched + 1, log.join("\n"));
  assert.deepEqual(last.blocks.at(-1), want.at(-1));
  assert.deepEqual((await index.fragment(doc)).blocks, want);
});

test("a generation gone (a newer build published within the manifest's TTL): index.json is read again and the search retried", async () => {
  const real = JSON.parse(readFileSync(join(indexFolder, "index.json"), "utf8"));
  const log = [];
  const disk = diskFetch(indexFolder, log);
  let published = false;
  const fetcher = async (url, init) => {
    if (url === "index.json" && !published) {
      published = true; // the next read sees the new build
      return new Response(JSON.stringify({ ...real, gen: "old", version: "old" }), { status: 200 });
    }
    return disk(url, init);
  };
  const index = new search.Index("", fetcher);
  const want = expected.searches.find((s) => s.query === "营商环境");
  const found = await index.search("营商环境");
  assert.deepEqual(found.results.slice().map((r) => r.doc), want.results.map((r) => r[0]));
  assert.ok(log.some((l) => l.startsWith("old/")), log.join("\n")); // the gone generation was tried
  assert.equal(index.manifest.gen, real.gen);
  assert.equal(index.manifest.version, real.version);
  const missing = new search.Index("", diskFetch(join(here, "fixtures/no-such-folder")));
  await assert.rejects(missing.search("营商"), /404/); // nothing newer: the error stands
});
