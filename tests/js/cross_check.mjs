// Run queries through search.js's Index over a built site's search/ folder read from disk and
// print what it finds as JSON: [{query, terms, docs, scores}]. Used by tests/js/test_node.py
// to compare with the Python reader.   node cross_check.mjs <site/search> <queries.json>
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { diskFetch } from "./fsfetch.mjs";

const require = createRequire(import.meta.url);
const search = require("../../themes/default/static/js/search.js");
const [folder, queriesPath] = process.argv.slice(2);
const queries = JSON.parse(readFileSync(queriesPath, "utf8"));
const index = new search.Index("", diskFetch(folder));
const out = [];
for (const query of queries) {
  const found = await index.search(query);
  out.push({
    query,
    terms: found.terms,
    docs: found.results.slice().map((r) => r.doc),
    scores: found.results.slice().map((r) => r.score),
  });
}
process.stdout.write(JSON.stringify(out));
