// Splits the Component Model's reference .wast scripts into their component
// forms and encodes each with the oracle (wasm-tools' text parser inside
// jco), so that our validator can be checked against what the scripts
// expect without our own text parser:
//   node cm_forms.mjs OUT_DIR FILE.wast...
// writes OUT_DIR/NNNN.wasm and OUT_DIR/manifest.tsv with one line per form:
//   NNNN.wasm <TAB> file:line <TAB> valid | invalid <TAB> expected message
// Forms the oracle cannot encode are listed with kind `unparsed` (a text
// the scripts expect to be malformed, or syntax it does not know).
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { resolve, basename, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(resolve(process.env.NODE_PATH || '.', 'x.js'));
const load = async (spec) => import(pathToFileURL(require.resolve(spec)).href);
const wt = await load('@bytecodealliance/jco-transpile/wasm-tools');

const [outDir, ...files] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });

// Top-level s-expressions of a script, with their starting line.
function forms(text) {
  const out = [];
  let depth = 0, start = -1, line = 1, startLine = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (c === ';' && text[i + 1] === ';') { while (i < text.length && text[i] !== '\n') i++; line++; continue; }
    if (c === '(' && text[i + 1] === ';') {
      let d = 0;
      for (; i < text.length; i++) {
        if (text[i] === '\n') line++;
        if (text[i] === '(' && text[i + 1] === ';') { d++; i++; }
        else if (text[i] === ';' && text[i + 1] === ')') { d--; i++; if (!d) break; }
      }
      continue;
    }
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '(') { if (depth++ === 0) { start = i; startLine = line; } }
    else if (c === ')') { if (--depth === 0) out.push({ text: text.slice(start, i + 1), line: startLine }); }
  }
  return out;
}

// The first inner form of `(assert_invalid (component ...) "msg")` and the
// message.
function inner(form) {
  const body = form.slice(1, -1).replace(/^\s*\S+/, '');
  const parts = forms(body);
  if (!parts[0]) return { sub: '', msg: '' };
  const at = body.indexOf(parts[0].text) + parts[0].text.length;
  const msg = body.slice(at).trim();
  return { sub: parts[0].text, msg: JSON.parse(msg.startsWith('"') ? msg : '""') };
}

// `(component definition $C ...)` / `(component $C ...)` as plain text.
function plain(text) {
  return text.replace(/^\(component\s+definition\b/, '(component');
}

let n = 0;
const lines = [];
for (const file of files) {
  const name = `${basename(dirname(file))}/${basename(file)}`;
  for (const f of forms(readFileSync(file, 'utf8'))) {
    let kind, text, msg = '';
    if (/^\(component\s+instance\b/.test(f.text)) continue;
    if (/^\(component\b/.test(f.text)) { kind = 'valid'; text = plain(f.text); }
    else if (/^\(assert_invalid\b/.test(f.text)) {
      const { sub, msg: m } = inner(f.text);
      if (!/^\(component\b/.test(sub)) continue;
      kind = 'invalid'; text = plain(sub); msg = m;
    } else continue;
    if (/^\(component\s+quote\b/.test(text)) continue;
    const id = String(n++).padStart(4, '0');
    try {
      writeFileSync(`${outDir}/${id}.wasm`, await wt.parse(text));
      lines.push(`${id}.wasm\t${name}:${f.line}\t${kind}\t${msg}`);
    } catch (e) {
      lines.push(`${id}.wasm\t${name}:${f.line}\tunparsed\t${msg}`);
    }
  }
}
writeFileSync(`${outDir}/manifest.tsv`, lines.join('\n') + '\n');
console.log(`${lines.length} component forms from ${files.length} files`);
