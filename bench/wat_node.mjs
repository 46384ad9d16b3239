// The text-format benchmark's peer: the same work done by wasm-tools (the
// `wast` crate's parser and `wasmprinter`, inside jco's wasm-tools build)
// in Node: `parse` (text to binary) and `print` (binary to text) of one
// module, N times each, after one first call. Checks that the text parses
// back to the input. Prints, like bench/wat_bench.c,
//   parse <first ms> <min ms> <median ms> <CPU ms per run>
//   print <first ms> <min ms> <median ms> <CPU ms per run>
// Usage: NODE_PATH=<oracle>/node_modules node wat_node.mjs FILE.wasm [N]
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.NODE_PATH || 'node_modules';
const transpile = resolve(modules, '@bytecodealliance/jco-transpile');
const nested = resolve(transpile, 'node_modules/@bytecodealliance/preview2-shim');
const shim = existsSync(nested) ? nested : resolve(modules, '@bytecodealliance/preview2-shim');
const fs = await import(pathToFileURL(resolve(shim, 'dist/nodejs/filesystem.js')).href);
fs._setPreopens({ '/': '/' });
const wt = await import(pathToFileURL(resolve(transpile, 'dist/wasm-tools.js')).href);

const [file, count] = process.argv.slice(2);
const n = Math.max(1, Number(count || 5));
const wasm = new Uint8Array(readFileSync(file));
const text = await wt.print(wasm);

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

async function measure(name, op) {
  let t = performance.now();
  const out = await op();
  const first = performance.now() - t;
  if (name === 'parse' && !same(out, wasm)) {
    console.error('wat_node: the text does not parse back to the input');
    process.exit(1);
  }
  const times = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    t = performance.now();
    await op();
    times.push(performance.now() - t);
  }
  const cpu1 = process.cpuUsage(cpu0);
  const cpu = (cpu1.user + cpu1.system) / 1000 / n;
  times.sort((a, b) => a - b);
  const median = n % 2 ? times[(n - 1) / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
  console.log(`${name} ${first.toFixed(3)} ${times[0].toFixed(3)} ${median.toFixed(3)} ${cpu.toFixed(3)}`);
}

await measure('parse', () => wt.parse(text));
await measure('print', () => wt.print(wasm));
