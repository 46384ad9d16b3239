// The WIT benchmark's peer: the same work (parse + resolve a WIT package with
// its deps/) done by wasm-tools (wit-parser inside jco's wasm-tools build) in
// Node. `componentEmbed` also encodes the world's type, a small extra cost.
// Prints "<first-call ms> <min ms> <median ms> <CPU ms per call> <peak RSS MB>".
// Usage: NODE_PATH=<oracle>/node_modules node wit_node.mjs WIT_DIR WORLD [N]
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.NODE_PATH || 'node_modules';
const transpile = resolve(modules, '@bytecodealliance/jco-transpile');
const nested = resolve(transpile, 'node_modules/@bytecodealliance/preview2-shim');
const shim = existsSync(nested) ? nested : resolve(modules, '@bytecodealliance/preview2-shim');
const fs = await import(pathToFileURL(resolve(shim, 'dist/nodejs/filesystem.js')).href);
fs._setPreopens({ '/': '/' });
const wt = await import(pathToFileURL(resolve(transpile, 'dist/wasm-tools.js')).href);

const [dir, world, count] = process.argv.slice(2);
const n = Math.max(1, Number(count || 20));
const opts = { witPath: resolve(dir), world, dummy: true };
let t = performance.now();
await wt.componentEmbed(opts);
const first = performance.now() - t;
const times = [];
const cpu0 = process.cpuUsage();
for (let i = 0; i < n; i++) {
  t = performance.now();
  await wt.componentEmbed(opts);
  times.push(performance.now() - t);
}
const cpu1 = process.cpuUsage(cpu0);
const cpu = (cpu1.user + cpu1.system) / 1000 / n;
times.sort((a, b) => a - b);
const median = n % 2 ? times[(n - 1) / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
const rss = process.resourceUsage().maxRSS / 1024;
console.log(`${first.toFixed(2)} ${times[0].toFixed(3)} ${median.toFixed(3)} ${cpu.toFixed(3)} ${rss.toFixed(1)}`);
