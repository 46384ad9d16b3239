// The WIT benchmark's peer: the same work (parse + resolve a WIT package with
// its deps/) done by wasm-tools (wit-parser inside jco's wasm-tools build) in
// Node. `componentEmbed` also encodes the world's type, a small extra cost.
// Prints "<first-call ms> <steady ms per parse> <peak RSS MB>".
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
const n = Number(count || 20);
const opts = { witPath: resolve(dir), world, dummy: true };
let t = performance.now();
await wt.componentEmbed(opts);
const first = performance.now() - t;
t = performance.now();
for (let i = 0; i < n; i++) await wt.componentEmbed(opts);
const steady = (performance.now() - t) / n;
const rss = process.resourceUsage().maxRSS / 1024;
console.log(`${first.toFixed(2)} ${steady.toFixed(3)} ${rss.toFixed(1)}`);
