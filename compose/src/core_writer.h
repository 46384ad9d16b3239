/* SPDX-License-Identifier: Apache-2.0 */
/* A tiny writer of core WebAssembly modules, for the small modules `witgen
 * new` adds to a component (core_modules.c): the byte values of the core
 * binary format it needs, named once (WebAssembly 2.0, section 5), and
 * helpers that append their encodings to a WgBuf. A module is written as
 * its header, then each section's body into a scratch buffer handed to
 * wg_cw_section(). Errors: a WgBuf that runs out of memory is marked
 * `failed` and the caller checks that flag once at the end. */
#ifndef WG_COMPOSE_CORE_WRITER_H
#define WG_COMPOSE_CORE_WRITER_H

#include "strbuf.h"
#include "witgen/core_module.h"

/* Section ids. */
typedef enum CwSection {
  CW_SEC_TYPE = 1,
  CW_SEC_IMPORT = 2,
  CW_SEC_FUNC = 3,
  CW_SEC_TABLE = 4,
  CW_SEC_EXPORT = 7,
  CW_SEC_START = 8,
  CW_SEC_ELEM = 9,
  CW_SEC_CODE = 10,
} CwSection;

/* The subsection of the `name` custom section naming globals (the
 * extended name section proposal). */
enum { CW_NAME_GLOBALS = 7 };

/* The opcodes the small modules use. */
typedef enum CwOp {
  CW_OP_UNREACHABLE = 0x00,
  CW_OP_IF = 0x04,
  CW_OP_END = 0x0b,
  CW_OP_CALL = 0x10,
  CW_OP_CALL_INDIRECT = 0x11,
  CW_OP_LOCAL_GET = 0x20,
  CW_OP_LOCAL_TEE = 0x22,
  CW_OP_GLOBAL_GET = 0x23,
  CW_OP_GLOBAL_SET = 0x24,
  CW_OP_MEMORY_GROW = 0x40,
  CW_OP_I32_CONST = 0x41,
  CW_OP_I32_EQZ = 0x45,
  CW_OP_I32_EQ = 0x46,
  CW_OP_I32_ADD = 0x6a,
  CW_OP_I32_OR = 0x72,
  CW_OP_I32_SHL = 0x74,
  CW_OP_I32_SHR_U = 0x76,
} CwOp;

enum {
  CW_FUNC_FORM = 0x60,   /* the leading byte of a function type */
  CW_BLOCK_EMPTY = 0x40, /* the block type of a block without results */
  CW_ELEM_ACTIVE0 = 0x00 /* element segment: table 0, offset, func indices */
};

/* `\0asm`, version 1. */
void wg_cw_header(WgBuf *m);
/* Section `id` with body `body` (freed; its failure carries over). */
void wg_cw_section(WgBuf *m, CwSection id, WgBuf *body);
/* A name: its length, then its bytes. */
void wg_cw_name(WgBuf *b, WgStr s);
/* A function type of `np` parameters and `nr` results. */
void wg_cw_functype(WgBuf *b, const WgValType *params, uint32_t np,
                    const WgValType *results, uint32_t nr);
/* Limits: `min`, with a maximum when `has_max`. */
void wg_cw_limits(WgBuf *b, uint32_t min, bool has_max, uint32_t max);
/* The head of an import entry: module, name, kind. Its description
 * (type index, table/memory/global type) follows. */
void wg_cw_import(WgBuf *b, WgStr module, WgStr name, WgExternKind kind);
/* A global type: value type and mutability. */
void wg_cw_global_type(WgBuf *b, WgValType t, bool mutable_);
/* An export entry. */
void wg_cw_export(WgBuf *b, WgStr name, WgExternKind kind, uint32_t index);
/* Instructions: an opcode without immediates, one with an unsigned
 * immediate (local, global, memory, block type as written), `i32.const`. */
void wg_cw_op(WgBuf *b, CwOp op);
void wg_cw_op_u(WgBuf *b, CwOp op, uint32_t imm);
void wg_cw_i32_const(WgBuf *b, int32_t v);
/* `if` without results whose body is `unreachable`: a trap when the i32 on
 * the stack is not zero. */
void wg_cw_trap_if(WgBuf *b);
/* A code section entry: its size, then `body` (locals and instructions;
 * freed, its failure carries over). */
void wg_cw_func_body(WgBuf *code, WgBuf *body);

#endif
