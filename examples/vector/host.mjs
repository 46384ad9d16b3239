// The VectorProcessor example run by jco: the component transpiled to
// JavaScript (`jco transpile --instantiation async`), the `log` import
// given as a function, the calls of calls.txt made on the generated
// classes. Prints each result in WAVE, one a line, as `witgen run
// --invoke` and host_component.c print them (lists of f64 come as
// Float64Array, option<f64> as a number or undefined, result<_, string>
// as a value or a thrown ComponentError with its payload).
//   node host.mjs TRANSPILED_DIR   (the folder with vector.js)
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = resolve(process.argv[2] || '.');
const { instantiate } = await import(pathToFileURL(resolve(dir, 'vector.js')).href);
const log = { info: (message) => console.error(`  [component] ${message}`) };
const root = await instantiate(
  (name) => readFile(resolve(dir, name)).then((b) => WebAssembly.compile(b)),
  { 'example:vector/log': log, 'example:vector/log@0.1.0': log });
const { VectorProcessor } = root.processor ?? root['example:vector/processor@0.1.0'];

// WAVE, as wg_cval_print writes it (numbers as JavaScript writes them)
const num = (x) => (Object.is(x, -0) ? '-0' : Number.isNaN(x) ? 'nan'
  : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : String(x));
const list = (a) => `[${Array.from(a, num).join(', ')}]`;
const option = (x) => (x === undefined ? 'none' : `some(${num(x)})`);
const stats = (s) => `{count: ${s.count}, min: ${num(s.min)}, max: ${num(s.max)}, mean: ${num(s.mean)}}`;
const result = (f, show) => {
  try {
    return `ok(${show(f())})`;
  } catch (e) {
    return `err(${JSON.stringify(e.payload)})`;
  }
};

const v = new VectorProcessor(new Float64Array([4.5, -1, 10, 2.25]));
v.push(0.25);
console.log(num(v.len()));
console.log(num(v.sum()));
console.log(option(v.mean()));
console.log(list(v.sorted()));
console.log(result(() => v.stats(), stats));
const e = new VectorProcessor(new Float64Array([]));
console.log(option(e.mean()));
console.log(result(() => e.stats(), stats));
const c = VectorProcessor.concat(v, e);
console.log(num(c.len()));
console.log(list(c.sorted()));
for (const r of [c, e, v]) r[Symbol.dispose]();
