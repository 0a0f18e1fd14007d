// Fold every character of a text file with search.js and print, as JSON, the code points
// whose folding differs from the expected one (a JSON list: each character's folding, "" where
// folding drops it), by fold and by foldWithOffsets.
//   node fold_all.mjs <text> <expected> <t2s.json>
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const search = require("../../themes/default/static/js/search.js");
const [textPath, expectedPath, tablePath] = process.argv.slice(2);
const table = search.tableFrom(JSON.parse(readFileSync(tablePath, "utf8")));
const text = Array.from(readFileSync(textPath, "utf8"));
const expected = JSON.parse(readFileSync(expectedPath, "utf8"));
const differ = [];
if (text.length !== expected.length) throw new Error("lengths differ");
for (let i = 0; i < text.length; i++) {
  const alone = search.foldWithOffsets(text[i], table).text; // its fast path, by code unit
  if (search.fold(text[i], table) !== expected[i] || alone !== expected[i]) differ.push(text[i].codePointAt(0));
}
// the whole text at once, as blocks are folded for snippets: the same as character by character
const whole = text.join("");
for (const t of [table, null]) {
  const { text: folded, offsets } = search.foldWithOffsets(whole, t);
  if (folded !== search.fold(whole, t)) throw new Error("foldWithOffsets differs from fold");
  if (offsets.length !== folded.length + 1 || offsets[offsets.length - 1] !== whole.length) throw new Error("offsets");
  const { ends } = search.foldWithOffsets(whole, t);
  if (ends.length !== folded.length || ends.some((end, i) => end <= offsets[i])) throw new Error("ends");
}
process.stdout.write(JSON.stringify(differ));
