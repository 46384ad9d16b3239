/* SPDX-License-Identifier: Apache-2.0 */
/* The core module writer (core_writer.h). */
#include "core_writer.h"

void wg_cw_header(WgBuf *m) {
  static const uint8_t head[8] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
  wg_buf_append(m, head, sizeof head);
}

/* Appends `body` with its size; frees it. */
static void put_sized(WgBuf *out, WgBuf *body) {
  wg_buf_uleb(out, body->len);
  wg_buf_append(out, body->data, body->len);
  if (body->failed) out->failed = true;
  wg_buf_free(body);
}

void wg_cw_section(WgBuf *m, CwSection id, WgBuf *body) {
  wg_buf_putc(m, (char)id);
  put_sized(m, body);
}

void wg_cw_name(WgBuf *b, WgStr s) {
  wg_buf_uleb(b, s.len);
  wg_buf_append_str(b, s);
}

void wg_cw_functype(WgBuf *b, const WgValType *params, uint32_t np,
                    const WgValType *results, uint32_t nr) {
  wg_buf_putc(b, CW_FUNC_FORM);
  wg_buf_uleb(b, np);
  for (uint32_t i = 0; i < np; i++)
    wg_buf_putc(b, (char)params[i]);
  wg_buf_uleb(b, nr);
  for (uint32_t i = 0; i < nr; i++)
    wg_buf_putc(b, (char)results[i]);
}

void wg_cw_limits(WgBuf *b, uint32_t min, bool has_max, uint32_t max) {
  wg_buf_putc(b, has_max ? 0x01 : 0x00);
  wg_buf_uleb(b, min);
  if (has_max) wg_buf_uleb(b, max);
}

void wg_cw_import(WgBuf *b, WgStr module, WgStr name, WgExternKind kind) {
  wg_cw_name(b, module);
  wg_cw_name(b, name);
  wg_buf_putc(b, (char)kind);
}

void wg_cw_global_type(WgBuf *b, WgValType t, bool mutable_) {
  wg_buf_putc(b, (char)t);
  wg_buf_putc(b, mutable_ ? 1 : 0);
}

void wg_cw_export(WgBuf *b, WgStr name, WgExternKind kind, uint32_t index) {
  wg_cw_name(b, name);
  wg_buf_putc(b, (char)kind);
  wg_buf_uleb(b, index);
}

void wg_cw_op(WgBuf *b, CwOp op) {
  wg_buf_putc(b, (char)op);
}

void wg_cw_op_u(WgBuf *b, CwOp op, uint32_t imm) {
  wg_buf_putc(b, (char)op);
  wg_buf_uleb(b, imm);
}

void wg_cw_i32_const(WgBuf *b, int32_t v) {
  wg_buf_putc(b, CW_OP_I32_CONST);
  wg_buf_sleb(b, v);
}

void wg_cw_trap_if(WgBuf *b) {
  wg_cw_op_u(b, CW_OP_IF, CW_BLOCK_EMPTY);
  wg_cw_op(b, CW_OP_UNREACHABLE);
  wg_cw_op(b, CW_OP_END);
}

void wg_cw_func_body(WgBuf *code, WgBuf *body) {
  put_sized(code, body);
}
