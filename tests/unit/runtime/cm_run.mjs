// Splits the Component Model's reference .wast scripts into commands for
// the runtime check (cm_run.c): components are encoded by the oracle
// (wasm-tools' text parser inside jco) rather than witgen's, so that
// witgen's runtime is also checked on components witgen did not encode;
// component values are kept as written and read by the runtime's own
// reader of the script forms (wg_cval_parse_wast, shared with `witgen
// wast`):
//   node cm_run.mjs OUT_DIR FILE.wast...
// writes OUT_DIR/NNNN.wasm and OUT_DIR/script.json, an array of commands:
//   {"at": "file:line", "cmd": "component", "wasm": "NNNN.wasm"}
//   {"at", "cmd": "definition", "name": "$X", "wasm"}
//   {"at", "cmd": "instance", "def": "$X"}
//   {"at", "cmd": "return", "func": "f", "args": [V...], "results": [V...]}
//   {"at", "cmd": "trap", "func": "f", "args": [V...], "message": "..."}
//   {"at", "cmd": "skip", "why": "..."}
// Values V: the value's text as the script writes it, e.g.
// "(record.const (field \"a\" (u32.const 1)))".
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { resolve, basename, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(resolve(process.env.NODE_PATH || '.', 'x.js'));
const load = async (spec) => import(pathToFileURL(require.resolve(spec)).href);
const wt = await load('@bytecodealliance/jco-transpile/wasm-tools');

const [outDir, ...files] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });

// Tokens of a script: parens, strings (kept quoted), atoms; comments out.
function tokenize(text) {
  const toks = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') { line++; continue; }
    if (/\s/.test(c)) continue;
    if (c === ';' && text[i + 1] === ';') {
      while (i < text.length && text[i] !== '\n') i++;
      i--;
      continue;
    }
    if (c === '(' && text[i + 1] === ';') {
      let d = 0;
      for (; i < text.length; i++) {
        if (text[i] === '\n') line++;
        if (text[i] === '(' && text[i + 1] === ';') { d++; i++; }
        else if (text[i] === ';' && text[i + 1] === ')') { d--; i++; if (!d) break; }
      }
      continue;
    }
    if (c === '(' || c === ')') { toks.push({ t: c, line, at: i }); continue; }
    if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) if (text[j] === '\\') j++;
      toks.push({ t: 'str', s: text.slice(i, j + 1), line, at: i, end: j + 1 });
      i = j;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s()";]/.test(text[j])) j++;
    toks.push({ t: 'atom', s: text.slice(i, j), line, at: i, end: j });
    i = j - 1;
  }
  return toks;
}

// S-expressions: arrays of nodes; a node is a token or an array (with
// .start/.end offsets into the text).
function parse(toks) {
  const top = [];
  const stack = [top];
  for (const tk of toks) {
    if (tk.t === '(') {
      const l = [];
      l.line = tk.line;
      l.start = tk.at;
      stack[stack.length - 1].push(l);
      stack.push(l);
    } else if (tk.t === ')') {
      const l = stack.pop();
      l.end = tk.at + 1;
    } else {
      stack[stack.length - 1].push(tk);
    }
  }
  return top;
}

// A wast string literal as a JS string (escapes: \t \n \r \" \' \\, \hh
// bytes, \u{...}).
function str(tok) {
  const s = tok.s.slice(1, -1);
  const bytes = [];
  for (let i = 0; i < s.length;) {
    if (s[i] !== '\\') {
      const cp = s.codePointAt(i);
      bytes.push(...Buffer.from(String.fromCodePoint(cp)));
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const n = s[i + 1];
    if (n === 't') bytes.push(9);
    else if (n === 'n') bytes.push(10);
    else if (n === 'r') bytes.push(13);
    else if (n === '"' || n === "'" || n === '\\') bytes.push(n.charCodeAt(0));
    else if (n === 'u') {
      const close = s.indexOf('}', i);
      bytes.push(...Buffer.from(String.fromCodePoint(parseInt(s.slice(i + 3, close), 16))));
      i = close + 1;
      continue;
    } else {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    i += 2;
  }
  return Buffer.from(bytes).toString('utf8');
}

const atom = (n) => (n && n.t === 'atom' ? n.s : null);

// A value form `(xx.const ...)` as written.
function value(node, text) {
  if (!Array.isArray(node)) throw new Error('value expected');
  return text.slice(node.start, node.end);
}

function invoke(node, text) {
  if (!Array.isArray(node) || atom(node[0]) !== 'invoke' || node[1].t !== 'str')
    throw new Error('invoke expected');
  return { func: str(node[1]), args: node.slice(2).map((v) => value(v, text)) };
}

let n = 0;
const out = [];
for (const file of files) {
  const name = `${basename(dirname(file))}/${basename(file)}`;
  const text = readFileSync(file, 'utf8');
  for (const f of parse(tokenize(text))) {
    const at = `${name}:${f.line}`;
    const head = atom(f[0]);
    try {
      if (head === 'component') {
        const second = atom(f[1]);
        if (second === 'instance') {
          out.push({ at, cmd: 'instance', def: atom(f[3]) });
          continue;
        }
        let src = text.slice(f.start, f.end);
        let def = null;
        if (second === 'definition') {
          def = atom(f[2]);
          src = src.replace(/^\(component\s+definition/, '(component');
        }
        const id = String(n++).padStart(4, '0');
        writeFileSync(`${outDir}/${id}.wasm`, await wt.parse(src));
        out.push(def ? { at, cmd: 'definition', name: def, wasm: `${id}.wasm` }
                     : { at, cmd: 'component', wasm: `${id}.wasm` });
      } else if (head === 'assert_return') {
        out.push({ at, cmd: 'return', ...invoke(f[1], text), results: f.slice(2).map((v) => value(v, text)) });
      } else if (head === 'assert_trap') {
        out.push({ at, cmd: 'trap', ...invoke(f[1], text), message: str(f[2]) });
      } else if (head === 'invoke') {
        out.push({ at, cmd: 'return', ...invoke(f, text), results: null });
      } else if (head === 'assert_invalid' || head === 'assert_malformed') {
        continue; // the validator's (interop_cm_validate)
      } else {
        out.push({ at, cmd: 'skip', why: `command ${head}` });
      }
    } catch (e) {
      out.push({ at, cmd: 'skip', why: `${e.message}`.split('\n')[0] });
    }
  }
}
writeFileSync(`${outDir}/script.json`, JSON.stringify(out));
console.log(`${out.length} commands from ${files.length} files`);
