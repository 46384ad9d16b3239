// Checks the expectations of tests/wit/syntax against wit-parser itself
// (wasm-tools inside the jco oracle): for every NAME.wit with a
// NAME.wit.result, wit-parser's message must be the result's first line,
// and its error must sit at the result's line:col. wit-parser reads tokens
// only as far as it gets, so a stray `$` placed at the expected spot must
// be reached, and for "expected X, found Y" errors one placed after the
// offending token must not be.
//   NODE_PATH=BUILD/oracle/node_modules node syntax_oracle.mjs DIR
// Exit 77 (skip) when the oracle is not installed.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.NODE_PATH || 'node_modules';
const transpile = resolve(modules, '@bytecodealliance/jco-transpile');
if (!existsSync(transpile)) {
  console.log(`oracle not installed in ${modules}`);
  process.exit(77);
}
const nested = resolve(transpile, 'node_modules/@bytecodealliance/preview2-shim');
const shim = existsSync(nested) ? nested : resolve(modules, '@bytecodealliance/preview2-shim');
const fs = await import(pathToFileURL(resolve(shim, 'dist/nodejs/filesystem.js')).href);
fs._setPreopens({ '/': '/' });
const wt = await import(pathToFileURL(resolve(transpile, 'dist/wasm-tools.js')).href);

async function witError(source) {
  try {
    await wt.componentEmbed({ witSource: source, dummy: true });
    return null;
  } catch (e) {
    return String(e.payload ?? e.message ?? e);
  }
}

const reached = (m) => m !== null && m.startsWith("unexpected character '$'");
const dir = process.argv[2];
let failed = 0, count = 0;
for (const name of readdirSync(dir).sort()) {
  if (!name.endsWith('.wit')) continue;
  const resultPath = resolve(dir, name + '.result');
  if (!existsSync(resultPath)) continue;
  count++;
  const [message, arrow] = readFileSync(resultPath, 'utf8').split('\n');
  const [line, col] = arrow.split(':').slice(-2).map(Number);
  const bytes = readFileSync(resolve(dir, name));
  let offset = 0;
  for (let l = 1; l < line; l++) offset = bytes.indexOf(10, offset) + 1;
  offset += col - 1;
  const source = bytes.toString('utf8');
  const at = (o) => bytes.subarray(0, o).toString('utf8').length;
  const insert = (o) => source.slice(0, at(o)) + '$' + source.slice(at(o));
  const problems = [];
  const got = await witError(source);
  if (got !== message) problems.push(`message: wit-parser says ${JSON.stringify(got)}`);
  if (!reached(await witError(insert(offset))))
    problems.push('wit-parser stops before the expected location');
  if (message.startsWith('expected') && !message.endsWith('found eof')) {
    let end = offset + 1;
    while (end < bytes.length && /[A-Za-z0-9%_-]/.test(String.fromCharCode(bytes[end])) &&
           /[A-Za-z0-9%_-]/.test(String.fromCharCode(bytes[offset])))
      end++;
    if (reached(await witError(insert(end))))
      problems.push('wit-parser reads past the expected location');
  }
  if (problems.length) {
    failed++;
    console.log(`FAIL ${name}: ${problems.join('; ')}`);
  }
}
console.log(`wit-parser agrees with ${count - failed} of ${count} results in ${dir}`);
process.exit(failed || count === 0 ? 1 : 0);
