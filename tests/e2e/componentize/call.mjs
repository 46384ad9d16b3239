// Calls greet(NAME) of a component transpiled by jco (ES module, WASI
// imports from @bytecodealliance/preview2-shim) and prints the result in
// WAVE, as `witgen run --invoke` does.
//   node call.mjs TRANSPILED_DIR NAME
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, name] = process.argv.slice(2);
const { greet } = await import(pathToFileURL(resolve(dir, 'greet.js')).href);
const wave = (s) => `"${[...s].map((c) => ({ '"': '\\"', '\\': '\\\\', '\n': '\\n',
  '\t': '\\t', '\r': '\\r' })[c] ?? c).join('')}"`;
console.log(wave(greet(name)));
