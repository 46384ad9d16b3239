// Runs a benchmark module's `run` export in Node (V8) and prints
// "<seconds> <checksum>" like the other drivers. Usage: node run_node.mjs X.wasm
import { readFileSync } from 'node:fs';
const bytes = readFileSync(process.argv[2]);
const { instance } = await WebAssembly.instantiate(bytes, {});
const start = process.hrtime.bigint();
const sum = instance.exports.run() >>> 0;
const end = process.hrtime.bigint();
console.log(`${(Number(end - start) / 1e9).toFixed(6)} ${sum}`);
