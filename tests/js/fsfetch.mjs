// A fetch() over a folder on disk, for running search.js's Index in node: answers
// `Range: bytes=a-b` with 206 and the part (or, with `ranges` false, with 200 and the whole
// file, as a server without range support does), a missing file with 404. `log` records calls.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

export function diskFetch(folder, log = [], ranges = true) {
  return async function (url, init = {}) {
    const path = join(folder, url.split("?")[0]); // a static host ignores the query
    const range = init.headers && init.headers.Range;
    log.push(range ? `${url} ${range}` : url);
    if (!existsSync(path)) return new Response("missing", { status: 404 });
    const data = readFileSync(path);
    if (range && ranges) {
      const [, a, b] = /^bytes=(\d+)-(\d+)$/.exec(range);
      return new Response(data.subarray(Number(a), Number(b) + 1), { status: 206 });
    }
    return new Response(data, { status: 200 });
  };
}
