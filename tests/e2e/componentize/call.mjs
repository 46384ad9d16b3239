// Calls FUNC(NAME) of a component transpiled by jco (ES module, WASI
// imports from @bytecodealliance/preview2-shim) and prints the result in
// WAVE, as `witgen run --invoke` does; what the component prints through
// WASI (console.log) comes first, as the shim writes it.
//   node call.mjs TRANSPILED_DIR FUNC NAME
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, func, name] = process.argv.slice(2);
const exports = await import(pathToFileURL(resolve(dir, 'greet.js')).href);
const wave = (s) => `"${[...s].map((c) => ({ '"': '\\"', '\\': '\\\\', '\n': '\\n',
  '\t': '\\t', '\r': '\\r' })[c] ?? c).join('')}"`;
console.log(wave(exports[func](name)));
