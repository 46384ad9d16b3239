/* SPDX-License-Identifier: Apache-2.0 */
/* The interpreter's internal instruction set (what the compiler,
 * compile*.c, emits and interp.c executes).
 *
 * Code is an array of 64-bit words. Each instruction is one word holding the
 * handler's address (threaded code) followed by its operand words:
 *
 *   word 0: handler address        (from wg_interp_handlers())
 *   word 1..n: operands            (frame slot indices, immediates, targets)
 *
 * Frame slot operands index the current frame (WgSlot fp[]); the compiler
 * maps the wasm value stack onto fixed slots so most instructions name their
 * sources and destination directly (register-machine style). Branch targets
 * are absolute code addresses resolved at compile time.
 *
 * Shapes (operand layouts) used below:
 *   UN    dst, a              BIN   dst, a, b
 *   LOAD  dst, addr, offset   STORE addr, value, offset
 * The table columns are (name, wasm opcode, shape, result type). Opcodes of
 * the 0xFC and 0xFD prefixes list their sub-opcode.
 */
#ifndef WG_RUNTIME_CORE_IOPS_H
#define WG_RUNTIME_CORE_IOPS_H

/* Plain numeric instructions, 1:1 with wasm opcodes (prefix-less). */
#define WG_IOPS_NUMERIC(X)            \
  X(i32_eqz, 0x45, UN, I32)           \
  X(i32_eq, 0x46, BIN, I32)           \
  X(i32_ne, 0x47, BIN, I32)           \
  X(i32_lt_s, 0x48, BIN, I32)         \
  X(i32_lt_u, 0x49, BIN, I32)         \
  X(i32_gt_s, 0x4A, BIN, I32)         \
  X(i32_gt_u, 0x4B, BIN, I32)         \
  X(i32_le_s, 0x4C, BIN, I32)         \
  X(i32_le_u, 0x4D, BIN, I32)         \
  X(i32_ge_s, 0x4E, BIN, I32)         \
  X(i32_ge_u, 0x4F, BIN, I32)         \
  X(i64_eqz, 0x50, UN, I32)           \
  X(i64_eq, 0x51, BIN, I32)           \
  X(i64_ne, 0x52, BIN, I32)           \
  X(i64_lt_s, 0x53, BIN, I32)         \
  X(i64_lt_u, 0x54, BIN, I32)         \
  X(i64_gt_s, 0x55, BIN, I32)         \
  X(i64_gt_u, 0x56, BIN, I32)         \
  X(i64_le_s, 0x57, BIN, I32)         \
  X(i64_le_u, 0x58, BIN, I32)         \
  X(i64_ge_s, 0x59, BIN, I32)         \
  X(i64_ge_u, 0x5A, BIN, I32)         \
  X(f32_eq, 0x5B, BIN, I32)           \
  X(f32_ne, 0x5C, BIN, I32)           \
  X(f32_lt, 0x5D, BIN, I32)           \
  X(f32_gt, 0x5E, BIN, I32)           \
  X(f32_le, 0x5F, BIN, I32)           \
  X(f32_ge, 0x60, BIN, I32)           \
  X(f64_eq, 0x61, BIN, I32)           \
  X(f64_ne, 0x62, BIN, I32)           \
  X(f64_lt, 0x63, BIN, I32)           \
  X(f64_gt, 0x64, BIN, I32)           \
  X(f64_le, 0x65, BIN, I32)           \
  X(f64_ge, 0x66, BIN, I32)           \
  X(i32_clz, 0x67, UN, I32)           \
  X(i32_ctz, 0x68, UN, I32)           \
  X(i32_popcnt, 0x69, UN, I32)        \
  X(i32_add, 0x6A, BIN, I32)          \
  X(i32_sub, 0x6B, BIN, I32)          \
  X(i32_mul, 0x6C, BIN, I32)          \
  X(i32_div_s, 0x6D, BIN, I32)        \
  X(i32_div_u, 0x6E, BIN, I32)        \
  X(i32_rem_s, 0x6F, BIN, I32)        \
  X(i32_rem_u, 0x70, BIN, I32)        \
  X(i32_and, 0x71, BIN, I32)          \
  X(i32_or, 0x72, BIN, I32)           \
  X(i32_xor, 0x73, BIN, I32)          \
  X(i32_shl, 0x74, BIN, I32)          \
  X(i32_shr_s, 0x75, BIN, I32)        \
  X(i32_shr_u, 0x76, BIN, I32)        \
  X(i32_rotl, 0x77, BIN, I32)         \
  X(i32_rotr, 0x78, BIN, I32)         \
  X(i64_clz, 0x79, UN, I64)           \
  X(i64_ctz, 0x7A, UN, I64)           \
  X(i64_popcnt, 0x7B, UN, I64)        \
  X(i64_add, 0x7C, BIN, I64)          \
  X(i64_sub, 0x7D, BIN, I64)          \
  X(i64_mul, 0x7E, BIN, I64)          \
  X(i64_div_s, 0x7F, BIN, I64)        \
  X(i64_div_u, 0x80, BIN, I64)        \
  X(i64_rem_s, 0x81, BIN, I64)        \
  X(i64_rem_u, 0x82, BIN, I64)        \
  X(i64_and, 0x83, BIN, I64)          \
  X(i64_or, 0x84, BIN, I64)           \
  X(i64_xor, 0x85, BIN, I64)          \
  X(i64_shl, 0x86, BIN, I64)          \
  X(i64_shr_s, 0x87, BIN, I64)        \
  X(i64_shr_u, 0x88, BIN, I64)        \
  X(i64_rotl, 0x89, BIN, I64)         \
  X(i64_rotr, 0x8A, BIN, I64)         \
  X(f32_abs, 0x8B, UN, F32)           \
  X(f32_neg, 0x8C, UN, F32)           \
  X(f32_ceil, 0x8D, UN, F32)          \
  X(f32_floor, 0x8E, UN, F32)         \
  X(f32_trunc, 0x8F, UN, F32)         \
  X(f32_nearest, 0x90, UN, F32)       \
  X(f32_sqrt, 0x91, UN, F32)          \
  X(f32_add, 0x92, BIN, F32)          \
  X(f32_sub, 0x93, BIN, F32)          \
  X(f32_mul, 0x94, BIN, F32)          \
  X(f32_div, 0x95, BIN, F32)          \
  X(f32_min, 0x96, BIN, F32)          \
  X(f32_max, 0x97, BIN, F32)          \
  X(f32_copysign, 0x98, BIN, F32)     \
  X(f64_abs, 0x99, UN, F64)           \
  X(f64_neg, 0x9A, UN, F64)           \
  X(f64_ceil, 0x9B, UN, F64)          \
  X(f64_floor, 0x9C, UN, F64)         \
  X(f64_trunc, 0x9D, UN, F64)         \
  X(f64_nearest, 0x9E, UN, F64)       \
  X(f64_sqrt, 0x9F, UN, F64)          \
  X(f64_add, 0xA0, BIN, F64)          \
  X(f64_sub, 0xA1, BIN, F64)          \
  X(f64_mul, 0xA2, BIN, F64)          \
  X(f64_div, 0xA3, BIN, F64)          \
  X(f64_min, 0xA4, BIN, F64)          \
  X(f64_max, 0xA5, BIN, F64)          \
  X(f64_copysign, 0xA6, BIN, F64)     \
  X(i32_trunc_f32_s, 0xA8, UN, I32)   \
  X(i32_trunc_f32_u, 0xA9, UN, I32)   \
  X(i32_trunc_f64_s, 0xAA, UN, I32)   \
  X(i32_trunc_f64_u, 0xAB, UN, I32)   \
  X(i64_extend_i32_s, 0xAC, UN, I64)  \
  X(i64_extend_i32_u, 0xAD, UN, I64)  \
  X(i64_trunc_f32_s, 0xAE, UN, I64)   \
  X(i64_trunc_f32_u, 0xAF, UN, I64)   \
  X(i64_trunc_f64_s, 0xB0, UN, I64)   \
  X(i64_trunc_f64_u, 0xB1, UN, I64)   \
  X(f32_convert_i32_s, 0xB2, UN, F32) \
  X(f32_convert_i32_u, 0xB3, UN, F32) \
  X(f32_convert_i64_s, 0xB4, UN, F32) \
  X(f32_convert_i64_u, 0xB5, UN, F32) \
  X(f32_demote_f64, 0xB6, UN, F32)    \
  X(f64_convert_i32_s, 0xB7, UN, F64) \
  X(f64_convert_i32_u, 0xB8, UN, F64) \
  X(f64_convert_i64_s, 0xB9, UN, F64) \
  X(f64_convert_i64_u, 0xBA, UN, F64) \
  X(f64_promote_f32, 0xBB, UN, F64)   \
  X(i32_extend8_s, 0xC0, UN, I32)     \
  X(i32_extend16_s, 0xC1, UN, I32)    \
  X(i64_extend8_s, 0xC2, UN, I64)     \
  X(i64_extend16_s, 0xC3, UN, I64)    \
  X(i64_extend32_s, 0xC4, UN, I64)

/* 0xFC prefix, non-trapping float-to-int conversions (sub-opcodes 0-7). */
#define WG_IOPS_SAT(X)                  \
  X(i32_trunc_sat_f32_s, 0x00, UN, I32) \
  X(i32_trunc_sat_f32_u, 0x01, UN, I32) \
  X(i32_trunc_sat_f64_s, 0x02, UN, I32) \
  X(i32_trunc_sat_f64_u, 0x03, UN, I32) \
  X(i64_trunc_sat_f32_s, 0x04, UN, I64) \
  X(i64_trunc_sat_f32_u, 0x05, UN, I64) \
  X(i64_trunc_sat_f64_s, 0x06, UN, I64) \
  X(i64_trunc_sat_f64_u, 0x07, UN, I64)

/* Memory loads and stores (LOAD / STORE shapes). Float loads share the
 * integer handlers of their width (they move bits). */
#define WG_IOPS_MEM(X) \
  X(load32)            \
  X(load64)            \
  X(load8_s32)         \
  X(load8_u32)         \
  X(load16_s32)        \
  X(load16_u32)        \
  X(load8_s64)         \
  X(load8_u64)         \
  X(load16_s64)        \
  X(load16_u64)        \
  X(load32_s64)        \
  X(load32_u64)        \
  X(store8)            \
  X(store16)           \
  X(store32)           \
  X(store64)

/* The same loads with the address given as the i32 sum of two slots (an
 * i32.add fused into the load): operands dst, a, offset, b; and as the i32
 * sum of a slot and a constant (_addi: dst, a, offset, imm). The sum wraps
 * at 32 bits before the offset is added, as in wasm. */
#define WG_IOPS_MEM_ADD(X) \
  X(load32)                \
  X(load64)                \
  X(load8_s32)             \
  X(load8_u32)             \
  X(load16_s32)            \
  X(load16_u32)            \
  X(load8_s64)             \
  X(load8_u64)             \
  X(load16_s64)            \
  X(load16_u64)            \
  X(load32_s64)            \
  X(load32_u64)

/* Stores whose address is an i32 sum computed just before (slot + slot,
 * slot + constant), like the loads of WG_IOPS_MEM_ADD: <name>_add (addr,
 * value, offset, b) and <name>_addi (addr, value, offset, imm). Columns:
 * name, stored C type. */
#define WG_IOPS_STORE_ADD(X) \
  X(store8, uint8_t)         \
  X(store16, uint16_t)       \
  X(store32, uint32_t)       \
  X(store64, uint64_t)

/* A load whose result is tested by the conditional branch that follows:
 * <name>_br_if (dst, addr, offset, target) jumps when the loaded value is
 * nonzero, <name>_br_unless when it is zero, <name>_br_if_back (dst,
 * addr, offset, target, fuel cost) is the loop latch form. The value is
 * written to dst either way. Columns: load, loaded C type. */
#define WG_IOPS_LOAD_BR(X) \
  X(load8_u32, uint8_t)    \
  X(load32, uint32_t)

/* Everything else. Operands are described at each handler in interp.c. */
#define WG_IOPS_MISC(X)                                                  \
  X(trap)               /* msg: unconditional trap */                    \
  X(br)                 /* target */                                     \
  X(br_if)              /* cond, target */                               \
  X(br_unless)          /* cond, target */                               \
  X(br_table)           /* idx, n, targets[n + 1] */                     \
  X(ret)                /* (results already in slots 0..) */             \
  X(call)               /* WgCode *, arg_base */                         \
  X(call_import)        /* func index, arg_base */                       \
  X(call_indirect)      /* table, type index, elem idx slot, arg_base */ \
  X(loop_check)         /* fuel cost: fuel and interrupt check */        \
  X(copy64)             /* dst, src */                                   \
  X(copy128)            /* dst, src */                                   \
  X(copy_n)             /* n, (dst, src) x n: 64-bit copies in order */  \
  X(copy_2)             /* 2, (dst, src) x 2: copy_n without its loop */ \
  X(copy_3)             /* 3, (dst, src) x 3 */                          \
  X(copy_4)             /* 4, (dst, src) x 4 */                          \
  X(copy_5)             /* 5, (dst, src) x 5 */                          \
  X(copy_6)             /* 6, (dst, src) x 6 */                          \
  X(i32_mul_add)        /* dst, a, x, y: a + x * y */                    \
  X(i32_rsub_imm)       /* dst, a, imm: imm - a */                       \
  X(const64)            /* dst, imm */                                   \
  X(const128)           /* dst, lo, hi */                                \
  X(select64)           /* dst, a, b, cond */                            \
  X(select128)          /* dst, a, b, cond */                            \
  X(global_get)         /* dst, idx */                                   \
  X(global_set)         /* src, idx */                                   \
  X(global_get128)      /* dst, idx */                                   \
  X(global_set128)      /* src, idx */                                   \
  X(ref_is_null)        /* dst, a */                                     \
  X(ref_func)           /* dst, func idx */                              \
  X(table_get)          /* dst, i, table */                              \
  X(table_set)          /* i, value, table */                            \
  X(table_size)         /* dst, table */                                 \
  X(table_grow)         /* dst, init, delta, table */                    \
  X(table_fill)         /* i, value, n, table */                         \
  X(table_copy)         /* d, s, n, dst table, src table */              \
  X(table_init)         /* d, s, n, table, elem */                       \
  X(elem_drop)          /* elem */                                       \
  X(memory_size)        /* dst, memory */                                \
  X(memory_grow)        /* dst, delta, memory */                         \
  X(memory_init)        /* d, s, n, data */                              \
  X(data_drop)          /* data */                                       \
  X(memory_copy)        /* d, s, n */                                    \
  X(memory_copy_mems)   /* d, s, n, dst memory, src memory */            \
  X(memory_fill)        /* d, value, n */                                \
  X(select_mem)         /* memory: the one accesses use (see below) */   \
  X(i32_add_imm)        /* dst, a, imm */                                \
  X(br_if_i32_eqz)      /* a, target */                                  \
  X(br_back)            /* target: backward, charges fuel (see below) */ \
  X(br_if_back)         /* cond, target */                               \
  X(br_if_i32_eqz_back) /* a, target */

/* Memory accesses (loads, stores, memory.fill / init / copy) address the
 * memory held in the interpreter's registers, memory 0. An access to
 * another memory is compiled as select_mem N, the access, select_mem 0, so
 * every handler serves every memory and memory 0 pays nothing. */

/* Binary operations with a constant second operand: <name>_imm handlers
 * with operands dst, a, imm. Columns: name, C type, slot field, result
 * expression over a and b. */
#define WG_IOPS_BIN_IMM(X)                   \
  X(i32_sub, uint32_t, u32, a - b)           \
  X(i32_mul, uint32_t, u32, a *b)            \
  X(i32_and, uint32_t, u32, a &b)            \
  X(i32_or, uint32_t, u32, a | b)            \
  X(i32_xor, uint32_t, u32, a ^ b)           \
  X(i32_shl, uint32_t, u32, a << (b & 31))   \
  X(i32_shr_s, int32_t, i32, a >> (b & 31))  \
  X(i32_shr_u, uint32_t, u32, a >> (b & 31)) \
  X(i32_rotl, uint32_t, u32, rotl32(a, b))   \
  X(i32_rotr, uint32_t, u32, rotr32(a, b))   \
  X(i64_add, uint64_t, u64, a + b)           \
  X(i64_sub, uint64_t, u64, a - b)           \
  X(i64_mul, uint64_t, u64, a *b)            \
  X(i64_and, uint64_t, u64, a &b)            \
  X(i64_or, uint64_t, u64, a | b)            \
  X(i64_xor, uint64_t, u64, a ^ b)           \
  X(i64_shl, uint64_t, u64, a << (b & 63))   \
  X(i64_shr_s, int64_t, i64, a >> (b & 63))  \
  X(i64_shr_u, uint64_t, u64, a >> (b & 63)) \
  X(i64_rotl, uint64_t, u64, rotl64(a, b))   \
  X(i64_rotr, uint64_t, u64, rotr64(a, b))

/* Binary operations whose second operand is loaded from memory (a load
 * fused into its consumer): <name>_ld with operands dst, a, addr, offset.
 * Columns: name, wasm operation, C type, slot field, loaded C type, plain
 * load handler, result expression over a and b. Each also has <name>_ld_st
 * (addr, a, offset): the result stored back to the loaded address with the
 * load's width, for `mem[x] = a op mem[x]` (e.g. C's `+=`), and
 * <name>_ld_add / <name>_ld_addi (dst, a, addr, offset, b / imm): the
 * load's address is the i32 sum of slots addr and b / of slot addr and imm,
 * as in WG_IOPS_MEM_ADD. */
#define WG_IOPS_BIN_LOAD(X)                                          \
  X(i32_add, i32_add, uint32_t, u32, uint32_t, load32, a + b)        \
  X(i32_sub, i32_sub, uint32_t, u32, uint32_t, load32, a - b)        \
  X(i32_and, i32_and, uint32_t, u32, uint32_t, load32, a &b)         \
  X(i32_or, i32_or, uint32_t, u32, uint32_t, load32, a | b)          \
  X(i32_xor, i32_xor, uint32_t, u32, uint32_t, load32, a ^ b)        \
  X(i32_mul, i32_mul, uint32_t, u32, uint32_t, load32, a *b)         \
  X(i32_add16s, i32_add, uint32_t, u32, int16_t, load16_s32, a + b)  \
  X(i32_add16u, i32_add, uint32_t, u32, uint16_t, load16_u32, a + b) \
  X(i32_add8u, i32_add, uint32_t, u32, uint8_t, load8_u32, a + b)    \
  X(i32_xor8u, i32_xor, uint32_t, u32, uint8_t, load8_u32, a ^ b)    \
  X(i64_add, i64_add, uint64_t, u64, uint64_t, load64, a + b)        \
  X(f32_add, f32_add, float, f32, float, load32, a + b)              \
  X(f32_sub, f32_sub, float, f32, float, load32, a - b)              \
  X(f32_mul, f32_mul, float, f32, float, load32, a *b)               \
  X(f64_add, f64_add, double, f64, double, load64, a + b)            \
  X(f64_sub, f64_sub, double, f64, double, load64, a - b)            \
  X(f64_mul, f64_mul, double, f64, double, load64, a *b)

/* Binary operations whose second operand is a slot shifted or rotated by
 * a constant, computed by the instruction just before (e.g. `a ^ rotl(x,
 * k)` in hash functions, `a + (x << k)` in indexing): operands dst, a, x, k.
 * Columns: name, wasm operation, the shift's _imm handler, result
 * expression over a and the shifted value s. */
#define WG_IOPS_BIN_SHIFT(X)                                    \
  X(i32_xor_rotl, i32_xor, i32_rotl_imm, a ^ rotl32(x, k))      \
  X(i32_xor_shr_u, i32_xor, i32_shr_u_imm, a ^ (x >> (k & 31))) \
  X(i32_xor_shl, i32_xor, i32_shl_imm, a ^ (x << (k & 31)))     \
  X(i32_add_shl, i32_add, i32_shl_imm, a + (x << (k & 31)))     \
  X(i32_add_shr_u, i32_add, i32_shr_u_imm, a + (x >> (k & 31))) \
  X(i32_or_shl, i32_or, i32_shl_imm, a | (x << (k & 31)))       \
  X(i32_or_shr_u, i32_or, i32_shr_u_imm, a | (x >> (k & 31)))

/* `mem[x] += m * mem[y]` (axpy, matrix products): a multiply with a loaded
 * operand, then a read-modify-write add of its product. Operands x, xoff,
 * m, y, yoff, and for _add / _addi a last operand b / imm: y's address is
 * the i32 sum y + b / y + imm (as in WG_IOPS_MEM_ADD). The product is
 * rounded before the add, as in the two wasm instructions. Columns: name,
 * C type, slot field. */
#define WG_IOPS_MADD(X)       \
  X(f64_madd_st, double, f64) \
  X(f32_madd_st, float, f32)

/* Pairs of instructions frequent in sequence (from the dispatch profile,
 * WG_INTERP_PROFILE): <a>__<b> runs a's body, then jumps straight to b's
 * handler, saving one indirect dispatch. The pair handler replaces a's
 * handler word only; b stays in place as a complete instruction, so a
 * branch to b still works. Columns: a, a's length in words, b. */
#define WG_IOPS_PAIRS(X)                                              \
  X(i32_add_imm, 4, load32)                                           \
  X(i32_add_imm, 4, i32_add_imm)                                      \
  X(i32_add_imm, 4, store32)                                          \
  X(i32_add_imm, 4, copy64)                                           \
  X(i32_add_imm, 4, call)                                             \
  X(i32_add_imm, 4, br_if_back)                                       \
  X(i32_add_imm, 4, br_table)                                         \
  X(i32_add_imm, 4, load8_u32_add)                                    \
  X(i32_add_imm, 4, f64_madd_st_addi)                                 \
  X(i32_add, 4, i32_add)                                              \
  X(i32_add, 4, ret)                                                  \
  X(i32_add, 4, copy64)                                               \
  X(i32_add, 4, store8)                                               \
  X(i32_add, 4, f64_madd_st)                                          \
  X(i32_add, 4, i32_add_ld_addi)                                      \
  X(i32_add, 4, incr_br_if_i32_gt_u_imm_back)                         \
  X(load32, 4, i32_add_imm)                                           \
  X(load32, 4, load32)                                                \
  X(load32, 4, br_if_i32_lt_s_back)                                   \
  X(load32, 4, br_if_i32_eqz)                                         \
  X(copy64, 3, i32_and)                                               \
  X(copy64, 3, br_if_i32_gt_s_back)                                   \
  X(copy64, 3, br_if_i32_eq)                                          \
  X(copy64, 3, i32_rotl_imm)                                          \
  X(copy64, 3, br_if_back)                                            \
  X(i32_rotl_imm, 4, i32_xor_rotl)                                    \
  X(i32_xor_rotl, 5, i32_add)                                         \
  X(i32_xor_rotl, 5, i32_xor_rotl)                                    \
  X(i32_xor_rotl, 5, i32_xor_shr_u)                                   \
  X(i32_xor_shr_u, 5, i32_add)                                        \
  X(i32_add16s_ld_addi, 6, i32_mul_add)                               \
  X(i32_mul_add, 5, i32_add16s_ld_addi)                               \
  X(f64_madd_st, 6, i32_add_imm)                                      \
  X(f64_madd_st_addi, 7, incr_br_if_i32_ne_imm_back)                  \
  X(br_if_i32_lt_u_imm, 4, i32_add_imm__call)                         \
  X(br_if_i32_lt_u_imm, 4, i32_add__ret)                              \
  X(load32, 4, br_if_i32_le_s)                                        \
  X(br_if_i32_le_s, 4, i32_add_imm__load32)                           \
  X(i32_add_shl, 5, i32_add_imm__i32_add_imm)                         \
  X(load8_u32_add, 5, br_if_i32_eq_back)                              \
  X(i32_add_imm, 4, load8_u32_add__br_if_i32_eq_back)                 \
  X(i32_xor, 4, i32_shr_u_imm)                                        \
  X(i32_xor8u_ld, 5, i32_mul_imm)                                     \
  X(load8_u32_addi, 5, i32_add_imm__br_table)                         \
  X(load8_u32_addi, 5, i32_xor8u_ld)                                  \
  X(load32_addi, 5, i32_rotl_imm__i32_xor_rotl)                       \
  X(i32_xor_imm, 4, i32_and)                                          \
  X(i32_xor, 4, copy64__i32_and)                                      \
  X(i32_xor, 4, i32_rotl_imm__i32_xor_rotl)                           \
  X(i32_ne_imm, 4, br_if_i32_eqz)                                     \
  X(br_if_i32_eqz, 3, load32__load32)                                 \
  X(br_if_i32_eqz, 3, copy64__br_if_back)                             \
  X(i32_add16s_ld_addi, 6, i32_mul_add__i32_add16s_ld_addi)           \
  X(i32_add_imm, 4, load32__br_if_i32_lt_s_back)                      \
  X(i32_add_imm, 4, i32_add_imm__load32__br_if_i32_lt_s_back)         \
  X(i32_add_imm, 4, copy64__br_if_i32_gt_s_back)                      \
  X(load32, 4, i32_add_imm__copy64__br_if_i32_gt_s_back)              \
  X(i32_add_imm, 4, load32__i32_add_imm__copy64__br_if_i32_gt_s_back) \
  X(load8_u32_add, 5, load8_u32_add__br_if_i32_eq_back)               \
  X(i32_add_imm, 4, load8_u32_add__load8_u32_add__br_if_i32_eq_back)  \
  X(i32_ne_imm, 4, br_if_i32_eqz__copy64__br_if_back)

/* i32 comparisons with fused forms. For each (name, C operator, C type,
 * slot field), seven handlers, in this order (see WG_CMP_IOP):
 *   i32_<c>_imm              dst, a, imm
 *   br_if_i32_<c>            a, b, target
 *   br_if_i32_<c>_imm        a, imm, target
 *   br_if_i32_<c>_back       a, b, target
 *   br_if_i32_<c>_imm_back   a, imm, target
 *   incr_br_if_i32_<c>_back       a, inc, b, target
 *   incr_br_if_i32_<c>_imm_back   a, inc, imm, target
 * The "incr_" forms first add the constant `inc` to slot a (a loop
 * counter: `i += inc; if (i < n) continue`), then compare and branch.
 * "_back" branches jump to a loop head just past its loop_check and charge
 * the fuel cost stored in the word before the target, then check the
 * interrupt flag: a loop iteration costs no extra dispatch. The order of the
 * list follows the wasm opcodes i32.eq .. i32.ge_u. */
#define WG_I32_CMPS(X)       \
  X(eq, ==, uint32_t, u32)   \
  X(ne, !=, uint32_t, u32)   \
  X(lt_s, <, int32_t, i32)   \
  X(lt_u, <, uint32_t, u32)  \
  X(gt_s, >, int32_t, i32)   \
  X(gt_u, >, uint32_t, u32)  \
  X(le_s, <=, int32_t, i32)  \
  X(le_u, <=, uint32_t, u32) \
  X(ge_s, >=, int32_t, i32)  \
  X(ge_u, >=, uint32_t, u32)

/* select whose condition is an i32 comparison computed just before: for
 * each comparison c of WG_I32_CMPS, select_i32_<c> (dst, a, b, x, y) and
 * select_i32_<c>_imm (dst, a, b, x, imm): dst = (x c y) ? a : b. */
#define WG_SELECT_CMP_IOP(k, imm) \
  ((WgIop)(WG_IOP_select_i32_eq + 2 * (k) + ((imm) ? 1 : 0)))

/* SIMD (0xFD prefix), shapes:
 *   VLOAD  dst, addr, offset          VSTORE addr, value, offset
 *   VUN    dst, a    (v128 -> v128)   VBIN   dst, a, b (v128 x2 -> v128)
 *   VTERN  dst, a, b, c               VSHIFT dst, a, count (i32)
 *   VTEST  dst, a    (v128 -> i32)    SPLAT  dst, a (scalar -> v128)
 *   EXTRACT dst, a, lane              REPLACE dst, a, scalar, lane
 *   LLANE  dst, addr, vec, offset, lane
 *   SLANE  addr, vec, offset, lane
 * The last column is the scalar type for SPLAT/EXTRACT/REPLACE. */
#define WG_IOPS_SIMD(X)                            \
  X(v128_load, 0, VLOAD, V128)                     \
  X(v128_load8x8_s, 1, VLOAD, V128)                \
  X(v128_load8x8_u, 2, VLOAD, V128)                \
  X(v128_load16x4_s, 3, VLOAD, V128)               \
  X(v128_load16x4_u, 4, VLOAD, V128)               \
  X(v128_load32x2_s, 5, VLOAD, V128)               \
  X(v128_load32x2_u, 6, VLOAD, V128)               \
  X(v128_load8_splat, 7, VLOAD, V128)              \
  X(v128_load16_splat, 8, VLOAD, V128)             \
  X(v128_load32_splat, 9, VLOAD, V128)             \
  X(v128_load64_splat, 10, VLOAD, V128)            \
  X(v128_store, 11, VSTORE, V128)                  \
  X(i8x16_swizzle, 14, VBIN, V128)                 \
  X(i8x16_splat, 15, SPLAT, I32)                   \
  X(i16x8_splat, 16, SPLAT, I32)                   \
  X(i32x4_splat, 17, SPLAT, I32)                   \
  X(i64x2_splat, 18, SPLAT, I64)                   \
  X(f32x4_splat, 19, SPLAT, F32)                   \
  X(f64x2_splat, 20, SPLAT, F64)                   \
  X(i8x16_extract_lane_s, 21, EXTRACT, I32)        \
  X(i8x16_extract_lane_u, 22, EXTRACT, I32)        \
  X(i8x16_replace_lane, 23, REPLACE, I32)          \
  X(i16x8_extract_lane_s, 24, EXTRACT, I32)        \
  X(i16x8_extract_lane_u, 25, EXTRACT, I32)        \
  X(i16x8_replace_lane, 26, REPLACE, I32)          \
  X(i32x4_extract_lane, 27, EXTRACT, I32)          \
  X(i32x4_replace_lane, 28, REPLACE, I32)          \
  X(i64x2_extract_lane, 29, EXTRACT, I64)          \
  X(i64x2_replace_lane, 30, REPLACE, I64)          \
  X(f32x4_extract_lane, 31, EXTRACT, F32)          \
  X(f32x4_replace_lane, 32, REPLACE, F32)          \
  X(f64x2_extract_lane, 33, EXTRACT, F64)          \
  X(f64x2_replace_lane, 34, REPLACE, F64)          \
  X(i8x16_eq, 35, VBIN, V128)                      \
  X(i8x16_ne, 36, VBIN, V128)                      \
  X(i8x16_lt_s, 37, VBIN, V128)                    \
  X(i8x16_lt_u, 38, VBIN, V128)                    \
  X(i8x16_gt_s, 39, VBIN, V128)                    \
  X(i8x16_gt_u, 40, VBIN, V128)                    \
  X(i8x16_le_s, 41, VBIN, V128)                    \
  X(i8x16_le_u, 42, VBIN, V128)                    \
  X(i8x16_ge_s, 43, VBIN, V128)                    \
  X(i8x16_ge_u, 44, VBIN, V128)                    \
  X(i16x8_eq, 45, VBIN, V128)                      \
  X(i16x8_ne, 46, VBIN, V128)                      \
  X(i16x8_lt_s, 47, VBIN, V128)                    \
  X(i16x8_lt_u, 48, VBIN, V128)                    \
  X(i16x8_gt_s, 49, VBIN, V128)                    \
  X(i16x8_gt_u, 50, VBIN, V128)                    \
  X(i16x8_le_s, 51, VBIN, V128)                    \
  X(i16x8_le_u, 52, VBIN, V128)                    \
  X(i16x8_ge_s, 53, VBIN, V128)                    \
  X(i16x8_ge_u, 54, VBIN, V128)                    \
  X(i32x4_eq, 55, VBIN, V128)                      \
  X(i32x4_ne, 56, VBIN, V128)                      \
  X(i32x4_lt_s, 57, VBIN, V128)                    \
  X(i32x4_lt_u, 58, VBIN, V128)                    \
  X(i32x4_gt_s, 59, VBIN, V128)                    \
  X(i32x4_gt_u, 60, VBIN, V128)                    \
  X(i32x4_le_s, 61, VBIN, V128)                    \
  X(i32x4_le_u, 62, VBIN, V128)                    \
  X(i32x4_ge_s, 63, VBIN, V128)                    \
  X(i32x4_ge_u, 64, VBIN, V128)                    \
  X(f32x4_eq, 65, VBIN, V128)                      \
  X(f32x4_ne, 66, VBIN, V128)                      \
  X(f32x4_lt, 67, VBIN, V128)                      \
  X(f32x4_gt, 68, VBIN, V128)                      \
  X(f32x4_le, 69, VBIN, V128)                      \
  X(f32x4_ge, 70, VBIN, V128)                      \
  X(f64x2_eq, 71, VBIN, V128)                      \
  X(f64x2_ne, 72, VBIN, V128)                      \
  X(f64x2_lt, 73, VBIN, V128)                      \
  X(f64x2_gt, 74, VBIN, V128)                      \
  X(f64x2_le, 75, VBIN, V128)                      \
  X(f64x2_ge, 76, VBIN, V128)                      \
  X(v128_not, 77, VUN, V128)                       \
  X(v128_and, 78, VBIN, V128)                      \
  X(v128_andnot, 79, VBIN, V128)                   \
  X(v128_or, 80, VBIN, V128)                       \
  X(v128_xor, 81, VBIN, V128)                      \
  X(v128_bitselect, 82, VTERN, V128)               \
  X(v128_any_true, 83, VTEST, I32)                 \
  X(v128_load8_lane, 84, LLANE, V128)              \
  X(v128_load16_lane, 85, LLANE, V128)             \
  X(v128_load32_lane, 86, LLANE, V128)             \
  X(v128_load64_lane, 87, LLANE, V128)             \
  X(v128_store8_lane, 88, SLANE, V128)             \
  X(v128_store16_lane, 89, SLANE, V128)            \
  X(v128_store32_lane, 90, SLANE, V128)            \
  X(v128_store64_lane, 91, SLANE, V128)            \
  X(v128_load32_zero, 92, VLOAD, V128)             \
  X(v128_load64_zero, 93, VLOAD, V128)             \
  X(f32x4_demote_f64x2_zero, 94, VUN, V128)        \
  X(f64x2_promote_low_f32x4, 95, VUN, V128)        \
  X(i8x16_abs, 96, VUN, V128)                      \
  X(i8x16_neg, 97, VUN, V128)                      \
  X(i8x16_popcnt, 98, VUN, V128)                   \
  X(i8x16_all_true, 99, VTEST, I32)                \
  X(i8x16_bitmask, 100, VTEST, I32)                \
  X(i8x16_narrow_i16x8_s, 101, VBIN, V128)         \
  X(i8x16_narrow_i16x8_u, 102, VBIN, V128)         \
  X(f32x4_ceil, 103, VUN, V128)                    \
  X(f32x4_floor, 104, VUN, V128)                   \
  X(f32x4_trunc, 105, VUN, V128)                   \
  X(f32x4_nearest, 106, VUN, V128)                 \
  X(i8x16_shl, 107, VSHIFT, V128)                  \
  X(i8x16_shr_s, 108, VSHIFT, V128)                \
  X(i8x16_shr_u, 109, VSHIFT, V128)                \
  X(i8x16_add, 110, VBIN, V128)                    \
  X(i8x16_add_sat_s, 111, VBIN, V128)              \
  X(i8x16_add_sat_u, 112, VBIN, V128)              \
  X(i8x16_sub, 113, VBIN, V128)                    \
  X(i8x16_sub_sat_s, 114, VBIN, V128)              \
  X(i8x16_sub_sat_u, 115, VBIN, V128)              \
  X(f64x2_ceil, 116, VUN, V128)                    \
  X(f64x2_floor, 117, VUN, V128)                   \
  X(i8x16_min_s, 118, VBIN, V128)                  \
  X(i8x16_min_u, 119, VBIN, V128)                  \
  X(i8x16_max_s, 120, VBIN, V128)                  \
  X(i8x16_max_u, 121, VBIN, V128)                  \
  X(f64x2_trunc, 122, VUN, V128)                   \
  X(i8x16_avgr_u, 123, VBIN, V128)                 \
  X(i16x8_extadd_pairwise_i8x16_s, 124, VUN, V128) \
  X(i16x8_extadd_pairwise_i8x16_u, 125, VUN, V128) \
  X(i32x4_extadd_pairwise_i16x8_s, 126, VUN, V128) \
  X(i32x4_extadd_pairwise_i16x8_u, 127, VUN, V128) \
  X(i16x8_abs, 128, VUN, V128)                     \
  X(i16x8_neg, 129, VUN, V128)                     \
  X(i16x8_q15mulr_sat_s, 130, VBIN, V128)          \
  X(i16x8_all_true, 131, VTEST, I32)               \
  X(i16x8_bitmask, 132, VTEST, I32)                \
  X(i16x8_narrow_i32x4_s, 133, VBIN, V128)         \
  X(i16x8_narrow_i32x4_u, 134, VBIN, V128)         \
  X(i16x8_extend_low_i8x16_s, 135, VUN, V128)      \
  X(i16x8_extend_high_i8x16_s, 136, VUN, V128)     \
  X(i16x8_extend_low_i8x16_u, 137, VUN, V128)      \
  X(i16x8_extend_high_i8x16_u, 138, VUN, V128)     \
  X(i16x8_shl, 139, VSHIFT, V128)                  \
  X(i16x8_shr_s, 140, VSHIFT, V128)                \
  X(i16x8_shr_u, 141, VSHIFT, V128)                \
  X(i16x8_add, 142, VBIN, V128)                    \
  X(i16x8_add_sat_s, 143, VBIN, V128)              \
  X(i16x8_add_sat_u, 144, VBIN, V128)              \
  X(i16x8_sub, 145, VBIN, V128)                    \
  X(i16x8_sub_sat_s, 146, VBIN, V128)              \
  X(i16x8_sub_sat_u, 147, VBIN, V128)              \
  X(f64x2_nearest, 148, VUN, V128)                 \
  X(i16x8_mul, 149, VBIN, V128)                    \
  X(i16x8_min_s, 150, VBIN, V128)                  \
  X(i16x8_min_u, 151, VBIN, V128)                  \
  X(i16x8_max_s, 152, VBIN, V128)                  \
  X(i16x8_max_u, 153, VBIN, V128)                  \
  X(i16x8_avgr_u, 155, VBIN, V128)                 \
  X(i16x8_extmul_low_i8x16_s, 156, VBIN, V128)     \
  X(i16x8_extmul_high_i8x16_s, 157, VBIN, V128)    \
  X(i16x8_extmul_low_i8x16_u, 158, VBIN, V128)     \
  X(i16x8_extmul_high_i8x16_u, 159, VBIN, V128)    \
  X(i32x4_abs, 160, VUN, V128)                     \
  X(i32x4_neg, 161, VUN, V128)                     \
  X(i32x4_all_true, 163, VTEST, I32)               \
  X(i32x4_bitmask, 164, VTEST, I32)                \
  X(i32x4_extend_low_i16x8_s, 167, VUN, V128)      \
  X(i32x4_extend_high_i16x8_s, 168, VUN, V128)     \
  X(i32x4_extend_low_i16x8_u, 169, VUN, V128)      \
  X(i32x4_extend_high_i16x8_u, 170, VUN, V128)     \
  X(i32x4_shl, 171, VSHIFT, V128)                  \
  X(i32x4_shr_s, 172, VSHIFT, V128)                \
  X(i32x4_shr_u, 173, VSHIFT, V128)                \
  X(i32x4_add, 174, VBIN, V128)                    \
  X(i32x4_sub, 177, VBIN, V128)                    \
  X(i32x4_mul, 181, VBIN, V128)                    \
  X(i32x4_min_s, 182, VBIN, V128)                  \
  X(i32x4_min_u, 183, VBIN, V128)                  \
  X(i32x4_max_s, 184, VBIN, V128)                  \
  X(i32x4_max_u, 185, VBIN, V128)                  \
  X(i32x4_dot_i16x8_s, 186, VBIN, V128)            \
  X(i32x4_extmul_low_i16x8_s, 188, VBIN, V128)     \
  X(i32x4_extmul_high_i16x8_s, 189, VBIN, V128)    \
  X(i32x4_extmul_low_i16x8_u, 190, VBIN, V128)     \
  X(i32x4_extmul_high_i16x8_u, 191, VBIN, V128)    \
  X(i64x2_abs, 192, VUN, V128)                     \
  X(i64x2_neg, 193, VUN, V128)                     \
  X(i64x2_all_true, 195, VTEST, I32)               \
  X(i64x2_bitmask, 196, VTEST, I32)                \
  X(i64x2_extend_low_i32x4_s, 199, VUN, V128)      \
  X(i64x2_extend_high_i32x4_s, 200, VUN, V128)     \
  X(i64x2_extend_low_i32x4_u, 201, VUN, V128)      \
  X(i64x2_extend_high_i32x4_u, 202, VUN, V128)     \
  X(i64x2_shl, 203, VSHIFT, V128)                  \
  X(i64x2_shr_s, 204, VSHIFT, V128)                \
  X(i64x2_shr_u, 205, VSHIFT, V128)                \
  X(i64x2_add, 206, VBIN, V128)                    \
  X(i64x2_sub, 209, VBIN, V128)                    \
  X(i64x2_mul, 213, VBIN, V128)                    \
  X(i64x2_eq, 214, VBIN, V128)                     \
  X(i64x2_ne, 215, VBIN, V128)                     \
  X(i64x2_lt_s, 216, VBIN, V128)                   \
  X(i64x2_gt_s, 217, VBIN, V128)                   \
  X(i64x2_le_s, 218, VBIN, V128)                   \
  X(i64x2_ge_s, 219, VBIN, V128)                   \
  X(i64x2_extmul_low_i32x4_s, 220, VBIN, V128)     \
  X(i64x2_extmul_high_i32x4_s, 221, VBIN, V128)    \
  X(i64x2_extmul_low_i32x4_u, 222, VBIN, V128)     \
  X(i64x2_extmul_high_i32x4_u, 223, VBIN, V128)    \
  X(f32x4_abs, 224, VUN, V128)                     \
  X(f32x4_neg, 225, VUN, V128)                     \
  X(f32x4_sqrt, 227, VUN, V128)                    \
  X(f32x4_add, 228, VBIN, V128)                    \
  X(f32x4_sub, 229, VBIN, V128)                    \
  X(f32x4_mul, 230, VBIN, V128)                    \
  X(f32x4_div, 231, VBIN, V128)                    \
  X(f32x4_min, 232, VBIN, V128)                    \
  X(f32x4_max, 233, VBIN, V128)                    \
  X(f32x4_pmin, 234, VBIN, V128)                   \
  X(f32x4_pmax, 235, VBIN, V128)                   \
  X(f64x2_abs, 236, VUN, V128)                     \
  X(f64x2_neg, 237, VUN, V128)                     \
  X(f64x2_sqrt, 239, VUN, V128)                    \
  X(f64x2_add, 240, VBIN, V128)                    \
  X(f64x2_sub, 241, VBIN, V128)                    \
  X(f64x2_mul, 242, VBIN, V128)                    \
  X(f64x2_div, 243, VBIN, V128)                    \
  X(f64x2_min, 244, VBIN, V128)                    \
  X(f64x2_max, 245, VBIN, V128)                    \
  X(f64x2_pmin, 246, VBIN, V128)                   \
  X(f64x2_pmax, 247, VBIN, V128)                   \
  X(i32x4_trunc_sat_f32x4_s, 248, VUN, V128)       \
  X(i32x4_trunc_sat_f32x4_u, 249, VUN, V128)       \
  X(f32x4_convert_i32x4_s, 250, VUN, V128)         \
  X(f32x4_convert_i32x4_u, 251, VUN, V128)         \
  X(i32x4_trunc_sat_f64x2_s_zero, 252, VUN, V128)  \
  X(i32x4_trunc_sat_f64x2_u_zero, 253, VUN, V128)  \
  X(f64x2_convert_low_i32x4_s, 254, VUN, V128)     \
  X(f64x2_convert_low_i32x4_u, 255, VUN, V128)

/* Copies of every scalar handler: the compiler gives successive
 * occurrences of an instruction in a function different copies, so the
 * indirect jump that ends a handler serves fewer places and the branch
 * predictor sees fewer targets per jump (interp_ops.inc). */
#define WG_INTERP_COPIES 2

/* Extra SIMD handlers with no direct wasm opcode. */
#define WG_IOPS_SIMD_EXTRA(X) X(i8x16_shuffle) /* dst, a, b, lanes lo, hi */

#define WG_IOP_ENUM4(name, op, shape, type) WG_IOP_##name,
#define WG_IOP_ENUM1(name)                  WG_IOP_##name,
#define WG_IOP_ENUMIMM(name, T, f, expr)    WG_IOP_##name##_imm,
#define WG_IOP_ENUMADD(name)                WG_IOP_##name##_add, WG_IOP_##name##_addi,
#define WG_IOP_ENUMSTADD(name, T)           WG_IOP_##name##_add, WG_IOP_##name##_addi,
#define WG_IOP_ENUMSELCMP(c, op, T, f) \
  WG_IOP_select_i32_##c, WG_IOP_select_i32_##c##_imm,
#define WG_IOP_ENUMLDBR(name, T) \
  WG_IOP_##name##_br_if, WG_IOP_##name##_br_unless, WG_IOP_##name##_br_if_back,
#define WG_IOP_ENUMLD(name, op, T, f, LT, load, expr)                \
  WG_IOP_##name##_ld, WG_IOP_##name##_ld_st, WG_IOP_##name##_ld_add, \
      WG_IOP_##name##_ld_addi,
#define WG_IOP_ENUMSH(name, wop, sh, expr) WG_IOP_##name,
#define WG_IOP_ENUMMADD(name, T, f) \
  WG_IOP_##name, WG_IOP_##name##_add, WG_IOP_##name##_addi,
#define WG_IOP_ENUMPAIR(a, n, b) WG_IOP_##a##__##b,
#define WG_IOP_ENUMCMP(c, op, T, f)                                       \
  WG_IOP_i32_##c##_imm, WG_IOP_br_if_i32_##c, WG_IOP_br_if_i32_##c##_imm, \
      WG_IOP_br_if_i32_##c##_back, WG_IOP_br_if_i32_##c##_imm_back,       \
      WG_IOP_incr_br_if_i32_##c##_back, WG_IOP_incr_br_if_i32_##c##_imm_back,

typedef enum WgIop {
  WG_IOPS_NUMERIC(WG_IOP_ENUM4) WG_IOPS_SAT(WG_IOP_ENUM4) WG_IOPS_MEM(
      WG_IOP_ENUM1) WG_IOPS_MISC(WG_IOP_ENUM1) WG_I32_CMPS(WG_IOP_ENUMCMP)
      WG_IOPS_BIN_IMM(WG_IOP_ENUMIMM) WG_IOPS_MEM_ADD(WG_IOP_ENUMADD)
          WG_IOPS_STORE_ADD(WG_IOP_ENUMSTADD) WG_IOPS_LOAD_BR(WG_IOP_ENUMLDBR)
              WG_I32_CMPS(WG_IOP_ENUMSELCMP) WG_IOPS_BIN_LOAD(WG_IOP_ENUMLD)
                  WG_IOPS_BIN_SHIFT(WG_IOP_ENUMSH) WG_IOPS_MADD(WG_IOP_ENUMMADD)
                      WG_IOPS_PAIRS(WG_IOP_ENUMPAIR) WG_IOPS_SIMD(WG_IOP_ENUM4)
                          WG_IOPS_SIMD_EXTRA(WG_IOP_ENUM1) WG_IOP_COUNT
} WgIop;

/* Handler `variant` (0-6, order above) of i32 comparison `k` (0 = eq .. 9 =
 * ge_u). */
#define WG_CMP_IOP(k, variant) \
  ((WgIop)(WG_IOP_i32_eq_imm + 7 * (k) + (variant)))

#endif
