// The composed notes service run by jco: multi.wasm transpiled to
// JavaScript (`jco transpile --instantiation async`), the requests of
// calls.txt made on its `api` export in one instance, each response
// printed in WAVE, one a line, as `witgen run --invoke` prints it.
//   node client.mjs TRANSPILED_DIR CALLS_FILE   (the folder with multi.js)
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = resolve(process.argv[2]);
const calls = (await readFile(process.argv[3], 'utf8')).split('\n').filter((l) => l);
const { instantiate } = await import(pathToFileURL(resolve(dir, 'multi.js')).href);
const root = await instantiate(
  (name) => readFile(resolve(dir, name)).then((b) => WebAssembly.compile(b)), {});
const api = root.api ?? root['example:multi/api@0.1.0'];

// A WAVE string as wg_cval_print writes it.
const wave = (s) => '"' + Array.from(s, (c) => {
  const named = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\\': '\\\\', '"': '\\"' }[c];
  if (named) return named;
  const u = c.codePointAt(0);
  return u < 0x20 || u === 0x7f ? `\\u{${u.toString(16)}}` : c;
}).join('') + '"';

// calls.txt has `handle("M", "P", "B")`; its three strings are JSON strings
// for what they hold here (quotes, backslash escapes, UTF-8).
for (const call of calls) {
  const m = /^handle\((.*)\)$/.exec(call);
  if (!m) throw new Error(`client.mjs: cannot read call ${call}`);
  const [method, path, body] = JSON.parse(`[${m[1]}]`);
  const r = api.handle(method, path, body);
  console.log(`{status: ${r.status}, content-type: ${wave(r.contentType)}, body: ${wave(r.body)}}`);
}
