// Makes a component of a JavaScript module with componentize-js (npm
// @bytecodealliance/componentize-js, installed with jco by
// scripts/setup-oracle): the StarlingMonkey engine (SpiderMonkey) with the
// module pre-initialized inside, about 12 MB.
//   node make.mjs MODULE.js WORLD.wit WORLD OUT.wasm [DISABLED_FEATURES]
// DISABLED_FEATURES: comma-separated WASI features to leave out (clocks,
// random, stdio, http, fetch-event).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.NODE_PATH;
const { componentize } = await import(pathToFileURL(resolve(modules,
  '@bytecodealliance/componentize-js/src/componentize.js')).href);
const [js, wit, world, out, disabled = ''] = process.argv.slice(2);
const start = Date.now();
const { component } = await componentize({
  sourcePath: resolve(js),
  witPath: resolve(wit),
  worldName: world,
  disableFeatures: disabled.split(',').filter(Boolean),
});
writeFileSync(out, component);
console.log(`componentize-js: ${component.length} bytes in ${Date.now() - start} ms`);
