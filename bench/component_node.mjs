// jco's side of bench/component_run (issue 14, must-show 6): the same
// components transpiled by jco (`--instantiation sync`) and run by Node
// (V8), measured as component_bench.c measures witgen:
//  - compile: WebAssembly.compile of the core modules of a transpiled
//    component (what loading costs once jco has turned it into JavaScript;
//    the transpile itself is timed by component_run);
//  - instantiate: the round-trip component from compiled core modules;
//  - calls: nop, string echo of 16 B and 4 KB, sum of a 1M-element
//    list<f64> (a Float64Array).
// Best of 7 runs. Prints `key value unit what` lines.
//   node component_node.mjs --roundtrip DIR --calls DIR [--load NAME=DIR:BYTES]... [--quick]
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
let runs = 7;
const loads = [];
let roundtrip, calls;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--quick') runs = 3;
  else if (args[i] === '--roundtrip') roundtrip = args[++i];
  else if (args[i] === '--calls') calls = args[++i];
  else if (args[i] === '--load') loads.push(args[++i]);
}
const now = () => Number(process.hrtime.bigint()) / 1e9;
const best = (n, f) => {
  let b = Infinity;
  for (let r = 0; r < n; r++) {
    const t = f();
    if (t < b) b = t;
  }
  return b;
};

// The core modules jco wrote beside the JavaScript, compiled.
const coreFiles = (dir) => readdirSync(dir).filter((f) => f.endsWith('.wasm'));
const compileAll = async (dir) => {
  const out = {};
  for (const f of coreFiles(dir)) out[f] = await WebAssembly.compile(readFileSync(resolve(dir, f)));
  return out;
};

for (const spec of loads) {
  const [name, rest] = spec.split('=');
  const [dir, bytes] = rest.split(':');
  const buffers = coreFiles(dir).map((f) => readFileSync(resolve(dir, f)));
  let b = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = now();
    await Promise.all(buffers.map((x) => WebAssembly.compile(x)));
    b = Math.min(b, now() - t0);
  }
  console.log(`load:${name} ${(b * 1e3).toFixed(3)} ms ${bytes} bytes`);
  console.log(`load-per-mb:${name} ${(b * 1e3 / (bytes / 1048576)).toFixed(2)} ms/MB`);
}

if (roundtrip) {
  const { instantiate } = await import(pathToFileURL(resolve(roundtrip, 'rt.js')).href);
  const compiled = await compileAll(roundtrip);
  // every import a function that does nothing, the resource a class
  const stubs = new Proxy({}, { get: () => () => {} });
  const imports = {
    'witgen:roundtrip/host': stubs,
    'witgen:roundtrip/types': { Hres: class Hres {} },
  };
  // jco's instantiation takes tens of ms: fewer of them
  const n = runs === 7 ? 10 : 3;
  const t = best(3, () => {
    const t0 = now();
    for (let i = 0; i < n; i++) instantiate((name) => compiled[name], imports);
    return (now() - t0) / n;
  });
  console.log(`instantiate ${(t * 1e6).toFixed(2)} us the round-trip component, after compile`);
}

if (calls) {
  const { instantiate } = await import(pathToFileURL(resolve(calls, 'hostbench.js')).href);
  const compiled = await compileAll(calls);
  const root = instantiate((name) => compiled[name], {});
  const api = root.api ?? root['witgen:bench/api'];
  const scale = runs === 7 ? 1 : 10;
  const perCall = (n, f) => best(runs, () => {
    const t0 = now();
    for (let i = 0; i < n; i++) f();
    return (now() - t0) / n;
  });
  console.log(`nop ${(perCall(1e6 / scale, () => api.nop()) * 1e9).toFixed(1)} ns host -> guest call of a nop`);
  let text = '';
  for (let i = 0; i < 4096; i++) text += String.fromCharCode(97 + (i % 26));
  const s16 = text.slice(0, 16);
  if (api.echo(s16) !== s16 || api.echo(text) !== text) throw new Error('echo');
  console.log(`echo-16 ${(perCall(5e5 / scale, () => api.echo(s16)) * 1e9).toFixed(1)} ns string echo, 16 B`);
  console.log(`echo-4k ${(perCall(2e4 / scale, () => api.echo(text)) * 1e9).toFixed(1)} ns string echo, 4 KB`);
  const v = new Float64Array(1000000);
  let want = 0;
  for (let i = 0; i < v.length; i++) {
    v[i] = i * 0.5;
    want += i * 0.5;
  }
  if (api.sum(v) !== want) throw new Error('sum');
  console.log(`sum-1m ${(perCall(3, () => api.sum(v)) * 1e3).toFixed(2)} ms sum of a 1M-element list<f64>`);
}
