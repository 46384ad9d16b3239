// Runs a composed test component of tests/interop/compose on jco (the
// oracle) and prints what its export returns, as link_run (witgen's
// runtime) prints it: `result: TEXT`, or `trap: MESSAGE`.
//
//   node link_run.mjs TRANSPILED_DIR NAME [EXPORT]   (NAME.js in the folder)
//
// The host imports are link_run's: demo:kv/log (`write` keeps lines,
// `lines` gives them back) and demo:kv/format (`show` as `h<hex>`).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, name, exportName] = process.argv.slice(2);
const { instantiate } = await import(pathToFileURL(resolve(dir, `${name}.js`)).href);
const lines = [];
const log = { write: (line) => void lines.push(line), lines: () => [...lines] };
const format = {
  show: (e) => 'h' + Array.from(e, (b) => b.toString(16).padStart(2, '0')).join(''),
};
const root = await instantiate(
  (file) => readFile(resolve(dir, file)).then((b) => WebAssembly.compile(b)),
  { 'demo:kv/log': log, 'demo:kv/format': format, 'demo:kv/types': {} },
);
const fn = root[exportName ?? ('run' in root ? 'run' : 'go')];
try {
  const r = fn();
  console.log(`result: ${typeof r === 'string' ? r : JSON.stringify(r)}`);
} catch (e) {
  console.log(`trap: ${e && e.message ? e.message : e}`);
  process.exit(3);
}
