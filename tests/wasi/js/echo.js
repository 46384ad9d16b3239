// SPDX-License-Identifier: Apache-2.0
// A wasi:http handler that echoes the request: method, path with query,
// the x-* and content-type headers (sorted), then the body.
import { Fields, OutgoingBody, OutgoingResponse, ResponseOutparam } from 'wasi:http/types@0.2.12';

const enc = new TextEncoder();
const dec = new TextDecoder();

function readAll(incomingBody) {
  const stream = incomingBody.stream();
  const chunks = [];
  let total = 0;
  for (;;) {
    let chunk;
    try {
      chunk = stream.blockingRead(65536n);
    } catch (e) {
      const err = e && e.payload !== undefined ? e.payload : e;
      if (err && err.tag === 'closed') break;
      throw e;
    }
    chunks.push(chunk);
    total += chunk.length;
  }
  stream[Symbol.dispose]?.();
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}

export const incomingHandler = {
  handle(request, responseOut) {
    const m = request.method();
    const method = m.tag === 'other' ? m.val : m.tag.toUpperCase();
    const path = request.pathWithQuery() ?? '';
    const shown = request
      .headers()
      .entries()
      .map(([name, value]) => [name.toLowerCase(), dec.decode(value)])
      .filter(([name]) => name.startsWith('x-') || name === 'content-type')
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
    const body = request.consume();
    const data = readAll(body);
    let text = `method: ${method}\npath: ${path}\n`;
    for (const [name, value] of shown) text += `header ${name}: ${value}\n`;
    text += `body: ${data.length} bytes\n`;
    const head = enc.encode(text);

    const status = path.startsWith('/status/') ? Number(path.slice(8)) || 200 : 200;
    const response = new OutgoingResponse(
      Fields.fromList([
        ['content-type', enc.encode('text/plain')],
        ['x-echo-method', enc.encode(method)],
      ]),
    );
    response.setStatusCode(status);
    const outBody = response.body();
    ResponseOutparam.set(responseOut, { tag: 'ok', val: response });
    const out = outBody.write();
    for (const part of [head, data]) {
      for (let i = 0; i < part.length; i += 4096) {
        out.blockingWriteAndFlush(part.subarray(i, i + 4096));
      }
    }
    out[Symbol.dispose]?.();
    OutgoingBody.finish(outBody, undefined);
  },
};
