/* SPDX-License-Identifier: Apache-2.0 */
/* The instruction reader (wg_instr_read): the immediates of every kind of
 * opcodes.def decoded into WgInstr, each class of malformed encoding with
 * the position the reference interpreter reports, and the inline shortcut
 * agreeing with the full reader on every two-byte prefix. */
#include <string.h>

#include "cmocka_all.h"
#include "witgen/core_module.h"

#define CODE(...) ((const uint8_t[]){ __VA_ARGS__ })
#define LEN(...)  sizeof((const uint8_t[]){ __VA_ARGS__ })

/* Reads one instruction from `code` with the WgFeature bits `features`;
 * it must succeed and consume exactly `len` bytes. */
static WgInstr read_ok(uint32_t features, const uint8_t *code, size_t len) {
  WgInstr in;
  memset(&in, 0xAA, sizeof in);
  const uint8_t *p = code;
  WgInstrStatus st = wg_instr_read(&p, code + len, features, &in);
  if (st != WG_INSTR_OK) fail_msg("status %s", wg_instr_status_message(st));
  assert_ptr_equal(p, code + len);
  return in;
}
/* READ: as WebAssembly 2.0; READ_MM: with multi-memory. */
#define READ(...) \
  read_ok(WG_FEATURES_WASM2, CODE(__VA_ARGS__), LEN(__VA_ARGS__))
#define READ_MM(...) \
  read_ok(WG_FEATURE_MULTI_MEMORY, CODE(__VA_ARGS__), LEN(__VA_ARGS__))

/* Reading `code` fails with `want`, leaving the position at `at`. */
static void read_fails(uint32_t features, const uint8_t *code, size_t len,
                       WgInstrStatus want, size_t at) {
  WgInstr in;
  const uint8_t *p = code;
  WgInstrStatus st = wg_instr_read(&p, code + len, features, &in);
  if (st != want) {
    fail_msg("expected \"%s\", got \"%s\"", wg_instr_status_message(want),
             wg_instr_status_message(st));
  }
  assert_int_equal(p - code, at);
}
#define FAILS(want, at, ...) \
  read_fails(WG_FEATURES_WASM2, CODE(__VA_ARGS__), LEN(__VA_ARGS__), want, at)
#define FAILS_MM(want, at, ...)                                            \
  read_fails(WG_FEATURE_MULTI_MEMORY, CODE(__VA_ARGS__), LEN(__VA_ARGS__), \
             want, at)

static void indices_and_constants(void **state) {
  (void)state;
  WgInstr in = READ(0x20, 0xac, 0x02); /* local.get 300 */
  assert_int_equal(in.op, 0x20);
  assert_int_equal(in.imm, WG_IMM_LOCAL);
  assert_int_equal(in.sub, 0);
  assert_int_equal(in.x, 300);
  in = READ(0x10, 5); /* call 5 */
  assert_int_equal(in.imm, WG_IMM_FUNC);
  assert_int_equal(in.x, 5);
  in = READ(0x11, 7, 0x81, 0x01); /* call_indirect type 7, table 129 */
  assert_int_equal(in.imm, WG_IMM_CALL_INDIRECT);
  assert_int_equal(in.x, 7);
  assert_int_equal(in.y, 129);
  in = READ(0x6a); /* i32.add */
  assert_int_equal(in.imm, WG_IMM_NONE);
  in = READ(0x41, 0x7f); /* i32.const -1 */
  assert_int_equal(in.imm, WG_IMM_I32);
  assert_int_equal((int64_t)in.value, -1);
  in = READ(0x41, 0x3f); /* i32.const 63 */
  assert_int_equal(in.value, 63);
  in = READ(0x41, 0xc8, 0x01); /* i32.const 200 */
  assert_int_equal(in.value, 200);
  in = READ(0x41, 0x80, 0x80, 0x80, 0x80, 0x78); /* i32.const INT32_MIN */
  assert_int_equal((int64_t)in.value, INT32_MIN);
  in = READ(0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
            0x7f); /* i64.const INT64_MIN */
  assert_int_equal((int64_t)in.value, INT64_MIN);
  in = READ(0x43, 0x00, 0x00, 0x80, 0x3f); /* f32.const 1.0 */
  assert_int_equal(in.value, 0x3f800000u);
  in = READ(0x44, 1, 2, 3, 4, 5, 6, 7, 8);
  assert_int_equal(in.value, 0x0807060504030201ull);
  in = READ(0xd0, 0x6f); /* ref.null extern */
  assert_int_equal(in.imm, WG_IMM_REFTYPE);
  assert_int_equal(in.x, WG_VT_EXTERNREF);
}

static void block_types(void **state) {
  (void)state;
  WgInstr in = READ(0x02, 0x40);
  assert_int_equal(in.imm, WG_IMM_BLOCKTYPE);
  assert_int_equal((int64_t)in.value, -64);
  in = READ(0x03, 0x7e); /* loop (result i64) */
  assert_int_equal((int64_t)in.value, -2);
  assert_int_equal(in.value & 0x7f, WG_VT_I64);
  in = READ(0x04, 0x70); /* if (result funcref) */
  assert_int_equal(in.value & 0x7f, WG_VT_FUNCREF);
  in = READ(0x02, 3); /* block (type 3) */
  assert_int_equal(in.value, 3);
  in = READ(0x02, 0xc8, 0x01); /* block (type 200) */
  assert_int_equal(in.value, 200);
}

static void vectors(void **state) {
  (void)state;
  static const uint8_t br[] = { 0x0e, 2, 1, 0x80, 0x01, 0 }; /* br_table */
  WgInstr in = read_ok(0, br, sizeof br);
  assert_int_equal(in.imm, WG_IMM_BR_TABLE);
  assert_int_equal(in.count, 2);
  assert_ptr_equal(in.bytes, br + 2);
  const uint8_t *q = in.bytes;
  assert_int_equal(wg_instr_next_label(&q), 1);
  assert_int_equal(wg_instr_next_label(&q), 128);
  assert_int_equal(wg_instr_next_label(&q), 0); /* default */
  assert_ptr_equal(q, br + sizeof br);
  static const uint8_t sel[] = { 0x1c, 1, 0x7b }; /* select (result v128) */
  in = read_ok(0, sel, sizeof sel);
  assert_int_equal(in.imm, WG_IMM_SELECT_T);
  assert_int_equal(in.count, 1);
  assert_ptr_equal(in.bytes, sel + 2);
  static const uint8_t v128[] = { 0xfd, 0x0c, 0, 1,  2,  3,  4,  5,  6,
                                  7,    8,    9, 10, 11, 12, 13, 14, 15 };
  in = read_ok(0, v128, sizeof v128);
  assert_int_equal(in.imm, WG_IMM_V128);
  assert_int_equal(in.sub, 0x0c);
  assert_ptr_equal(in.bytes, v128 + 2);
  static const uint8_t shuffle[] = { 0xfd, 0x0d, 31, 0, 0, 0, 0, 0, 0,
                                     0,    0,    0,  0, 0, 0, 0, 0, 0 };
  in = read_ok(0, shuffle, sizeof shuffle);
  assert_int_equal(in.imm, WG_IMM_SHUFFLE);
  assert_int_equal(in.bytes[0], 31);
}

static void memory_immediates(void **state) {
  (void)state;
  WgInstr in = READ(0x28, 2, 0xe8, 0x07); /* i32.load align=4 offset=1000 */
  assert_int_equal(in.imm, WG_IMM_MEMARG);
  assert_int_equal(in.align, 2);
  assert_int_equal(in.x, 0);
  assert_int_equal(in.value, 1000);
  in = READ(0x40, 0); /* memory.grow */
  assert_int_equal(in.imm, WG_IMM_MEMORY0);
  assert_int_equal(in.x, 0);
  in = READ(0xfc, 8, 3, 0); /* memory.init 3 */
  assert_int_equal(in.op, 0xfc);
  assert_int_equal(in.sub, 8);
  assert_int_equal(in.imm, WG_IMM_DATA_MEMORY);
  assert_int_equal(in.x, 3);
  assert_int_equal(in.y, 0);
  in = READ(0xfc, 10, 0, 0); /* memory.copy */
  assert_int_equal(in.imm, WG_IMM_MEMORY_MEMORY);
  in = READ(0xfc, 14, 1, 2); /* table.copy 1 2 */
  assert_int_equal(in.imm, WG_IMM_TABLE_TABLE);
  assert_int_equal(in.x, 1);
  assert_int_equal(in.y, 2);
  in = READ(0xfc, 12, 4, 1); /* table.init elem 4 table 1 */
  assert_int_equal(in.imm, WG_IMM_ELEM_TABLE);
  assert_int_equal(in.x, 4);
  assert_int_equal(in.y, 1);
  in = READ(0xfd, 0x55, 1, 8, 7); /* v128.load16_lane align=2 offset=8 7 */
  assert_int_equal(in.imm, WG_IMM_MEMARG_LANE);
  assert_int_equal(in.sub, 0x55);
  assert_int_equal(in.align, 1);
  assert_int_equal(in.value, 8);
  assert_int_equal(in.lane, 7);
  in = READ(0xfd, 0x15, 15); /* i8x16.extract_lane_s 15 */
  assert_int_equal(in.imm, WG_IMM_LANE);
  assert_int_equal(in.lane, 15);
  in = READ(0xfd, 0xff, 0x01); /* f64x2.convert_low_i32x4_u */
  assert_int_equal(in.sub, 0xff);
  assert_int_equal(in.imm, WG_IMM_NONE);
}

/* With multi-memory: memory indices after memargs (bit 6 of the alignment
 * field) and as u32s where WebAssembly 2.0 has a zero byte. */
static void memory_indices(void **state) {
  (void)state;
  WgInstr in = READ_MM(0x28, 0x42, 3, 8); /* i32.load 3 align=4 offset=8 */
  assert_int_equal(in.align, 2);
  assert_int_equal(in.x, 3);
  assert_int_equal(in.value, 8);
  in = READ_MM(0x36, 0x02, 8); /* i32.store align=4 offset=8: memory 0 */
  assert_int_equal(in.align, 2);
  assert_int_equal(in.x, 0);
  assert_int_equal(in.value, 8);
  in = READ_MM(0x28, 0x20, 0); /* alignment 2^32: invalid, not malformed */
  assert_int_equal(in.align, 32);
  in = READ_MM(0x3f, 0x80, 0x00); /* memory.size 0, a two-byte zero */
  assert_int_equal(in.x, 0);
  in = READ_MM(0x40, 2); /* memory.grow 2 */
  assert_int_equal(in.x, 2);
  in = READ_MM(0xfc, 8, 5, 1); /* memory.init 1 5 */
  assert_int_equal(in.x, 5);
  assert_int_equal(in.y, 1);
  in = READ_MM(0xfc, 10, 1, 2); /* memory.copy 1 2 */
  assert_int_equal(in.x, 1);
  assert_int_equal(in.y, 2);
  in = READ_MM(0xfc, 11, 0x81, 0x01); /* memory.fill 129 */
  assert_int_equal(in.x, 129);
  in = READ_MM(0xfd, 0x54, 0x40, 1, 0, 3); /* v128.load8_lane 1 3 */
  assert_int_equal(in.align, 0);
  assert_int_equal(in.x, 1);
  assert_int_equal(in.lane, 3);
  FAILS_MM(WG_INSTR_MEMOP_FLAGS, 1, 0x28, 0x80, 0x01, 0);
  FAILS_MM(WG_INSTR_END, 2, 0x28, 0x40); /* the memory index is missing */
  /* the same bytes in WebAssembly 2.0 */
  FAILS(WG_INSTR_MEMOP_FLAGS, 1, 0x28, 0x42, 3, 8);
  FAILS(WG_INSTR_ZERO_BYTE, 1, 0x3f, 0x80, 0x00);
  FAILS(WG_INSTR_ZERO_BYTE, 1, 0x40, 2);
}

/* Errors, at the positions of the reference interpreter. */
static void malformed_encodings(void **state) {
  (void)state;
  FAILS(WG_INSTR_END, 1, 0x20);             /* local.get, no index */
  FAILS(WG_INSTR_END, 2, 0x20, 0x80);       /* index runs out */
  FAILS(WG_INSTR_END, 5, 0x44, 1, 2, 3, 4); /* f64.const short */
  FAILS(WG_INSTR_TOO_LONG, 6, 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
  FAILS(WG_INSTR_TOO_LARGE, 5, 0x20, 0xff, 0xff, 0xff, 0xff, 0x70);
  FAILS(WG_INSTR_TOO_LARGE, 5, 0x41, 0xff, 0xff, 0xff, 0xff, 0x4f);
  FAILS(WG_INSTR_ILLEGAL, 0, 0x06);
  FAILS(WG_INSTR_ILLEGAL, 0, 0xfc, 0x12);
  FAILS(WG_INSTR_ILLEGAL, 0, 0xfd, 0x9a, 0x01);
  FAILS(WG_INSTR_ILLEGAL, 0, 0xfd, 0x80, 0x02); /* 0x100 */
  FAILS(WG_INSTR_ZERO_BYTE, 1, 0x3f, 0x01);
  FAILS(WG_INSTR_ZERO_BYTE, 3, 0xfc, 10, 0, 1);
  FAILS(WG_INSTR_MEMOP_FLAGS, 1, 0x28, 0x20, 0x00);
  FAILS(WG_INSTR_VALTYPE, 1, 0x02, 0x60);
  FAILS(WG_INSTR_VALTYPE, 1, 0x02, 0xc0, 0x7f); /* negative s33, 2 bytes */
  FAILS(WG_INSTR_VALTYPE, 2, 0x1c, 1, 0x60);
  FAILS(WG_INSTR_REFTYPE, 1, 0xd0, 0x7f);
  FAILS(WG_INSTR_LENGTH, 1, 0x0e, 100, 0, 0);
  FAILS(WG_INSTR_LENGTH, 1, 0x1c, 9, 0x7f);
  /* no byte at all */
  const uint8_t none[1] = { 0 };
  read_fails(0, none, 0, WG_INSTR_END, 0);
  assert_string_equal(wg_instr_status_message(WG_INSTR_END),
                      "unexpected end of section or function");
  assert_string_equal(wg_instr_status_message(WG_INSTR_TOO_LONG),
                      "integer representation too long");
  assert_string_equal(wg_instr_status_message(WG_INSTR_TOO_LARGE),
                      "integer too large");
  assert_string_equal(wg_instr_status_message(WG_INSTR_ILLEGAL),
                      "illegal opcode");
  assert_string_equal(wg_instr_status_message(WG_INSTR_ZERO_BYTE),
                      "zero byte expected");
  assert_string_equal(wg_instr_status_message(WG_INSTR_MEMOP_FLAGS),
                      "malformed memop flags");
  assert_string_equal(wg_instr_status_message(WG_INSTR_VALTYPE),
                      "malformed value type");
  assert_string_equal(wg_instr_status_message(WG_INSTR_REFTYPE),
                      "malformed reference type");
  assert_string_equal(wg_instr_status_message(WG_INSTR_LENGTH),
                      "length out of bounds");
}

/* The fields kind `imm` sets agree. */
static void same_instr(const WgInstr *a, const WgInstr *b) {
  assert_int_equal(a->op, b->op);
  assert_int_equal(a->imm, b->imm);
  assert_int_equal(a->sub, b->sub);
  switch ((WgImm)a->imm) {
    case WG_IMM_NONE:
      break;
    case WG_IMM_BLOCKTYPE:
    case WG_IMM_I32:
    case WG_IMM_I64:
    case WG_IMM_F32:
    case WG_IMM_F64:
      assert_int_equal(a->value, b->value);
      break;
    case WG_IMM_LABEL:
    case WG_IMM_FUNC:
    case WG_IMM_LOCAL:
    case WG_IMM_GLOBAL:
    case WG_IMM_TABLE:
    case WG_IMM_MEMORY0:
    case WG_IMM_REFTYPE:
    case WG_IMM_DATA:
    case WG_IMM_ELEM:
      assert_int_equal(a->x, b->x);
      break;
    case WG_IMM_CALL_INDIRECT:
    case WG_IMM_DATA_MEMORY:
    case WG_IMM_MEMORY_MEMORY:
    case WG_IMM_ELEM_TABLE:
    case WG_IMM_TABLE_TABLE:
      assert_int_equal(a->x, b->x);
      assert_int_equal(a->y, b->y);
      break;
    case WG_IMM_MEMARG_LANE:
      assert_int_equal(a->lane, b->lane);
      /* fall through */
    case WG_IMM_MEMARG:
      assert_int_equal(a->align, b->align);
      assert_int_equal(a->x, b->x);
      assert_int_equal(a->value, b->value);
      break;
    case WG_IMM_BR_TABLE:
    case WG_IMM_SELECT_T:
      assert_int_equal(a->count, b->count);
      assert_ptr_equal(a->bytes, b->bytes);
      break;
    case WG_IMM_V128:
    case WG_IMM_SHUFFLE:
      assert_ptr_equal(a->bytes, b->bytes);
      break;
    case WG_IMM_LANE:
      assert_int_equal(a->lane, b->lane);
      break;
  }
}

/* The inline shortcut of wg_instr_read() and wg_instr_read_full() agree on
 * every opcode followed by every byte (and an `end`, or nothing), with and
 * without the features. */
static void shortcut_matches_full_reader(void **state) {
  (void)state;
  for (unsigned op = 0; op < 256; op++) {
    for (unsigned b = 0; b < 256; b++) {
      uint8_t code[3] = { (uint8_t)op, (uint8_t)b, 0x0b };
      for (size_t k = 0; k < 6; k++) {
        size_t len = 1 + k % 3;
        uint32_t features = k < 3 ? WG_FEATURES_WASM2 : WG_FEATURES_ALL;
        WgInstr fast, full;
        const uint8_t *pf = code, *pr = code;
        WgInstrStatus sf = wg_instr_read(&pf, code + len, features, &fast);
        WgInstrStatus sr = wg_instr_read_full(&pr, code + len, features, &full);
        assert_int_equal(sf, sr);
        assert_ptr_equal(pf, pr);
        if (sf == WG_INSTR_OK) same_instr(&fast, &full);
      }
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(indices_and_constants),
    cmocka_unit_test(block_types),
    cmocka_unit_test(vectors),
    cmocka_unit_test(memory_immediates),
    cmocka_unit_test(memory_indices),
    cmocka_unit_test(malformed_encodings),
    cmocka_unit_test(shortcut_matches_full_reader),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
