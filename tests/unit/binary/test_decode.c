/* SPDX-License-Identifier: Apache-2.0 */
/* The core module decoder on hand-made binaries: what it records of every
 * section and segment encoding, and each class of malformed input with the
 * spec test suite's message (binary.wast, binary-leb128.wast, custom.wast,
 * utf8-*.wast give the wording). */
#include "core_asm.h"

#define FUNC_MODULE(a, ft, ...) \
  asm_func_module(a, ft, sizeof(ft), BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__))

static const uint8_t k_void[] = { 0, 0 }; /* [] -> [] */

static void empty_module_decodes(void **state) {
  (void)state;
  Asm a;
  asm_header(&a);
  WgModule *m = NULL;
  assert_int_equal(asm_decode(&a, &m, NULL), WG_OK);
  assert_non_null(m);
  assert_int_equal(m->type_count + m->import_count + m->func_count, 0);
  assert_false(m->has_start);
  assert_int_equal(wg_module_validate(m, NULL), WG_OK);
  wg_module_free(m);
}

static void sections_are_recorded(void **state) {
  (void)state;
  Asm a;
  asm_header(&a);
  SEC(&a, 0, 3, 'a', 'b', 'c', 9, 8);                /* custom "abc" */
  SEC(&a, 1, 2, 0x60, 1, 0x7f, 1, 0x7e, 0x60, 0, 0); /* (i32)->i64, ()->() */
  SEC(&a, 2, 2, 1, 'm', 1, 'f', 0, 1,                /* func m.f type 1 */
      1, 'm', 1, 'g', 3, 0x7d, 1);                   /* global mut f32 */
  SEC(&a, 3, 2, 0, 1);                               /* funcs: types 0, 1 */
  SEC(&a, 4, 1, 0x70, 1, 2, 5);                      /* table funcref 2..5 */
  SEC(&a, 5, 1, 0, 1);                               /* memory 1.. */
  SEC(&a, 6, 1, 0x7f, 0, 0x41, 7, 0x0b);             /* global i32 = 7 */
  SEC(&a, 7, 1, 1, 'e', 0, 2);                       /* export "e" func 2 */
  SEC(&a, 8, 2);                                     /* start func 2 */
  SEC(&a, 12, 1);                                    /* data count 1 */
  RAW(&a, 10, 13, 2,                                 /* code */
      8, 2, 2, 0x7f, 0, 0x7d, 0x42, 0, 0x0b,         /* 2 x i32, 0 x f32 */
      2, 0, 0x0b);
  SEC(&a, 11, 1, 1, 2, 'h', 'i'); /* passive data "hi" */
  SEC(&a, 0, 1, 'z');             /* trailing custom, no payload */
  WgModule *m = NULL;
  assert_int_equal(asm_decode(&a, &m, NULL), WG_OK);
  assert_int_equal(m->type_count, 2);
  assert_int_equal(m->types[0].param_count, 1);
  assert_int_equal(WG_FUNCTYPE_RESULTS(&m->types[0])[0], WG_VT_I64);
  assert_int_equal(m->import_count, 2);
  assert_int_equal(m->func_import_count, 1);
  assert_int_equal(m->global_import_count, 1);
  assert_true(m->imports[1].desc.global.mutable_);
  assert_int_equal(m->func_count, 2);
  assert_int_equal(wg_module_total_funcs(m), 3);
  assert_int_equal(wg_module_func_type_index(m, 0), 1);
  assert_int_equal(wg_module_func_type_index(m, 1), 0);
  assert_int_equal(wg_module_func_type_index(m, 2), 1);
  assert_int_equal(wg_module_table_type(m, 0)->limits.max, 5);
  assert_true(wg_module_table_type(m, 0)->limits.has_max);
  assert_false(wg_module_memory_type(m, 0)->limits.has_max);
  assert_int_equal(wg_module_global_type(m, 0)->type, WG_VT_F32);
  assert_int_equal(wg_module_global_type(m, 1)->type, WG_VT_I32);
  assert_int_equal(m->globals[0].init.len, 3);
  assert_int_equal(m->export_count, 1);
  assert_true(wg_str_eq(m->exports[0].name, wg_str_from_cstr("e")));
  assert_true(m->has_start);
  assert_int_equal(m->start, 2);
  assert_int_equal(m->funcs[0].local_run_count, 2);
  assert_int_equal(m->funcs[0].local_count, 2);
  assert_int_equal(m->funcs[0].code_len, 3); /* i64.const 0; end */
  assert_int_equal(m->funcs[0].code[0], 0x42);
  assert_int_equal(m->funcs[1].code_len, 1);
  assert_true(m->has_data_count);
  assert_int_equal(m->data_segment_count, 1);
  assert_int_equal(m->datas[0].mode, WG_SEGMENT_PASSIVE);
  assert_memory_equal(m->datas[0].bytes, "hi", 2);
  assert_int_equal(m->custom_count, 2);
  assert_true(wg_str_eq(m->customs[0].name, wg_str_from_cstr("abc")));
  assert_int_equal(m->customs[0].len, 2);
  assert_int_equal(m->customs[1].len, 0);
  assert_int_equal(wg_module_validate(m, NULL), WG_OK);
  wg_module_free(m);
}

static void all_segment_encodings_decode(void **state) {
  (void)state;
  Asm a;
  asm_header(&a);
  SEC(&a, 1, 1, 0x60, 0, 0);
  SEC(&a, 3, 1, 0);
  SEC(&a, 4, 1, 0x70, 0, 1);
  SEC(&a, 5, 1, 0, 1);
  SEC(&a, 9, 8,
      /* 0: active table 0, func indices */ 0, 0x41, 0, 0x0b, 1, 0,
      /* 1: passive, elemkind */ 1, 0, 1, 0,
      /* 2: active explicit table */ 2, 0, 0x41, 0, 0x0b, 0, 1, 0,
      /* 3: declarative */ 3, 0, 1, 0,
      /* 4: active, expressions */ 4, 0x41, 0, 0x0b, 1, 0xd2, 0, 0x0b,
      /* 5: passive, expressions */ 5, 0x6f, 1, 0xd0, 0x6f, 0x0b,
      /* 6: active explicit, expressions */ 6, 0, 0x41, 0, 0x0b, 0x70, 0,
      /* 7: declarative, expressions */ 7, 0x70, 1, 0xd2, 0, 0x0b);
  CODE1(&a, 0, 0x0b);
  SEC(&a, 11, 3, 0, 0x41, 0, 0x0b, 1, 'a', /* active memory 0 */
      1, 0,                                /* passive, empty */
      2, 0, 0x41, 1, 0x0b, 0);             /* active explicit memory */
  WgModule *m = NULL;
  assert_int_equal(asm_decode(&a, &m, NULL), WG_OK);
  assert_int_equal(m->elem_count, 8);
  static const WgSegmentMode modes[8] = {
    WG_SEGMENT_ACTIVE,      WG_SEGMENT_PASSIVE,     WG_SEGMENT_ACTIVE,
    WG_SEGMENT_DECLARATIVE, WG_SEGMENT_ACTIVE,      WG_SEGMENT_PASSIVE,
    WG_SEGMENT_ACTIVE,      WG_SEGMENT_DECLARATIVE,
  };
  for (int i = 0; i < 8; i++) {
    assert_int_equal(m->elems[i].mode, modes[i]);
    assert_int_equal(m->elems[i].type,
                     i == 5 ? WG_VT_EXTERNREF : WG_VT_FUNCREF);
    assert_true((m->elems[i].func_indices != NULL) == (i < 4));
  }
  assert_int_equal(m->elems[0].count, 1);
  assert_int_equal(m->elems[0].func_indices[0], 0);
  assert_null(m->elems[2].exprs);
  assert_int_equal(m->elems[4].exprs[0].len, 3);
  assert_int_equal(m->elems[6].count, 0);
  assert_int_equal(m->data_segment_count, 3);
  assert_int_equal(m->datas[0].mode, WG_SEGMENT_ACTIVE);
  assert_int_equal(m->datas[0].len, 1);
  assert_int_equal(m->datas[1].mode, WG_SEGMENT_PASSIVE);
  assert_int_equal(m->datas[2].offset.len, 3);
  assert_int_equal(wg_module_validate(m, NULL), WG_OK);
  assert_true(m->func_declared[0]);
  wg_module_free(m);
}

static void preamble_errors(void **state) {
  (void)state;
  Asm a = { .n = 0 };
  expect_malformed(&a, "unexpected end");
  RAW(&a, 0x00, 0x61, 0x73);
  expect_malformed(&a, "unexpected end");
  a.n = 0;
  RAW(&a, 0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0);
  expect_malformed(&a, "magic header not detected");
  a.n = 0;
  RAW(&a, 0x00, 0x61, 0x73, 0x6d, 1, 0);
  expect_malformed(&a, "unexpected end");
  a.n = 0;
  RAW(&a, 0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0);
  expect_malformed(&a, "unknown binary version");
}

static void section_framing_errors(void **state) {
  (void)state;
  Asm a;
  asm_header(&a);
  SEC(&a, 13, 0);
  expect_malformed(&a, "malformed section id");
  asm_header(&a);
  SEC(&a, 1, 1, 0x60, 0, 0, 0); /* one byte too many */
  expect_malformed(&a, "section size mismatch");
  asm_header(&a);
  RAW(&a, 1, 3, 1, 0x60, 0, 0); /* one byte too few: runs into the next */
  expect_malformed(&a, "section size mismatch");
  asm_header(&a);
  RAW(&a, 1, 5, 1, 0x60); /* size past the end */
  expect_malformed(&a, "length out of bounds");
  asm_header(&a);
  RAW(&a, 1, 2, 2, 0x60); /* a vector cut short */
  expect_malformed(&a, "unexpected end");
  asm_header(&a);
  SEC(&a, 1, 0);
  SEC(&a, 1, 0);
  expect_malformed(&a, "unexpected content after last section");
  asm_header(&a);
  SEC(&a, 10, 0);
  SEC(&a, 12, 0); /* data count after code */
  expect_malformed(&a, "unexpected content after last section");
  asm_header(&a);
  RAW(&a, 0, 9, 3, 'a', 'b'); /* custom section longer than the module */
  expect_malformed(&a, "length out of bounds");
  asm_header(&a);
  RAW(&a, 0, 1, 3, 'a', 'b', 'c'); /* name longer than the section */
  expect_malformed(&a, "unexpected end");
}

static void leb128_errors(void **state) {
  (void)state;
  Asm a;
  asm_header(&a);
  SEC(&a, 1, 1, 0x60, 0, 0);
  SEC(&a, 3, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00); /* 6 bytes */
  expect_malformed(&a, "integer representation too long");
  asm_header(&a);
  SEC(&a, 1, 1, 0x60, 0, 0);
  SEC(&a, 3, 1, 0x80, 0x80, 0x80, 0x80, 0x70); /* bits beyond 32 */
  expect_malformed(&a, "integer too large");
  FUNC_MODULE(&a, k_void, 0, 0x41, 0xff, 0xff, 0xff, 0xff, 0x4f, 0x1a, 0x0b);
  expect_malformed(&a, "integer too large"); /* i32.const, bad sign bits */
  FUNC_MODULE(&a, k_void, 0, 0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
              0x80, 0x80, 0x80, 0x00, 0x1a, 0x0b);
  expect_malformed(&a, "integer representation too long"); /* i64.const */
  FUNC_MODULE(&a, k_void, 0, 0x41, 0x7f, 0x41, 0xff, 0x7f, 0x41, 0x80, 0x80,
              0x80, 0x80, 0x78, 0x1a, 0x1a, 0x1a, 0x0b);
  expect_valid(&a); /* -1, -1 padded, INT32_MIN */
  asm_header(&a);
  SEC(&a, 5, 1, 0x81, 0x00, 0x00); /* limits flag as 2-byte LEB */
  expect_malformed(&a, "integer representation too long");
  asm_header(&a);
  SEC(&a, 5, 1, 0x02, 0x00);
  expect_malformed(&a, "integer too large");
}

static void name_and_kind_errors(void **state) {
  (void)state;
  Asm a;
  asm_header(&a);
  SEC(&a, 2, 1, 1, 0xff, 0, 0, 0); /* module name: invalid UTF-8 */
  expect_malformed(&a, "malformed UTF-8 encoding");
  asm_header(&a);
  SEC(&a, 0, 3, 0xed, 0xa0, 0x80); /* custom name: a surrogate */
  expect_malformed(&a, "malformed UTF-8 encoding");
  asm_header(&a);
  SEC(&a, 2, 1, 0, 0, 4);
  expect_malformed(&a, "malformed import kind");
  asm_header(&a);
  SEC(&a, 6, 1, 0x7f, 2, 0x41, 0, 0x0b);
  expect_malformed(&a, "malformed mutability");
  asm_header(&a);
  SEC(&a, 4, 1, 0x7f, 0, 0);
  expect_malformed(&a, "malformed reference type");
  asm_header(&a);
  SEC(&a, 6, 1, 0x40, 0, 0x41, 0, 0x0b);
  expect_malformed(&a, "malformed value type");
  asm_header(&a);
  SEC(&a, 9, 1, 8, 0);
  expect_malformed(&a, "malformed elements segment kind");
  asm_header(&a);
  SEC(&a, 9, 1, 1, 1, 0);
  expect_malformed(&a, "malformed elements segment kind");
  asm_header(&a);
  SEC(&a, 11, 1, 3, 0);
  expect_malformed(&a, "malformed data segment kind");
}

static void count_consistency_errors(void **state) {
  (void)state;
  Asm a;
  asm_header(&a);
  SEC(&a, 1, 1, 0x60, 0, 0);
  SEC(&a, 3, 1, 0);
  expect_malformed(&a, "function and code section have inconsistent lengths");
  asm_header(&a);
  SEC(&a, 1, 1, 0x60, 0, 0);
  RAW(&a, 10, 4, 1, 2, 0, 0x0b);
  expect_malformed(&a, "function and code section have inconsistent lengths");
  asm_header(&a);
  SEC(&a, 12, 2);
  SEC(&a, 11, 1, 1, 0);
  expect_malformed(&a, "data count and data section have inconsistent lengths");
  asm_header(&a);
  SEC(&a, 12, 1);
  expect_malformed(&a, "data count and data section have inconsistent lengths");
  /* data.drop without a data count section */
  asm_header(&a);
  SEC(&a, 1, 1, 0x60, 0, 0);
  SEC(&a, 3, 1, 0);
  CODE1(&a, 0, 0xfc, 9, 0, 0x0b);
  SEC(&a, 11, 1, 1, 0);
  expect_malformed(&a, "data count section required");
}

static void function_body_errors(void **state) {
  (void)state;
  Asm a;
  FUNC_MODULE(&a, k_void, 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b);
  expect_malformed(&a, "too many locals");
  FUNC_MODULE(&a, k_void, 0, 0x06, 0x0b);
  expect_malformed(&a, "illegal opcode");
  FUNC_MODULE(&a, k_void, 0, 0xfc, 0x12, 0x0b);
  expect_malformed(&a, "illegal opcode");
  FUNC_MODULE(&a, k_void, 0, 0xfd, 0x9a, 0x01, 0x0b);
  expect_malformed(&a, "illegal opcode");
  FUNC_MODULE(&a, k_void, 0, 0x3f, 0x01, 0x1a, 0x0b); /* memory.size 1 */
  expect_malformed(&a, "zero byte expected");
  FUNC_MODULE(&a, k_void, 0, 0xfc, 0x0a, 0x00, 0x01, 0x0b); /* memory.copy */
  expect_malformed(&a, "zero byte expected");
  FUNC_MODULE(&a, k_void, 0, 0xd0, 0x7f, 0x1a, 0x0b); /* ref.null i32 */
  expect_malformed(&a, "malformed reference type");
  FUNC_MODULE(&a, k_void, 0, 0x41, 0, 0x28, 0x20, 0, 0x1a, 0x0b);
  expect_malformed(&a, "malformed memop flags");
  /* with multi-memory: memory indices instead of zero bytes, bit 6 of a
   * memarg's alignment field announces one; 128 and above are malformed */
  FUNC_MODULE(&a, k_void, 0, 0x3f, 0x80, 0x00, 0x1a, 0x0b);
  a.features = WG_FEATURES_ALL;
  /* memory.size with a two-byte index 0 decodes (no memory: invalid) */
  expect_invalid(&a, "unknown memory 0");
  FUNC_MODULE(&a, k_void, 0, 0x41, 0, 0x28, 0x80, 0x01, 0, 0x1a, 0x0b);
  a.features = WG_FEATURES_ALL;
  expect_malformed(&a, "malformed memop flags");
  FUNC_MODULE(&a, k_void, 0, 0x41, 0, 0x28, 0x40, 0x1a, 0x0b);
  a.features = WG_FEATURES_ALL;
  expect_malformed(&a, "unexpected end"); /* index 0x1a, then offset 0x0b */
  FUNC_MODULE(&a, k_void, 0, 0x02, 0x40, 0x05, 0x0b, 0x0b); /* else in block */
  expect_malformed(&a, "END opcode expected");
  FUNC_MODULE(&a, k_void, 0, 0x41, 0, 0x04, 0x40, 0x05, 0x05, 0x0b, 0x0b);
  expect_malformed(&a, "END opcode expected"); /* two elses */
  FUNC_MODULE(&a, k_void, 0, 0x05, 0x0b);
  expect_malformed(&a, "END opcode expected");
  /* the body ends before its `end`: reading runs past the module */
  FUNC_MODULE(&a, k_void, 0, 0x41, 1, 0x1a);
  expect_malformed(&a, "unexpected end");
  /* body size says 3 but the `end` is the 4th byte */
  asm_header(&a);
  SEC(&a, 1, 1, 0x60, 0, 0);
  SEC(&a, 3, 1, 0);
  RAW(&a, 10, 6, 1, 3, 0, 0x01, 0x01, 0x0b);
  expect_malformed(&a, "section size mismatch");
  /* constant expression without end runs into the next section */
  asm_header(&a);
  SEC(&a, 6, 1, 0x7f, 0, 0x41, 0);
  SEC(&a, 10, 0);
  expect_malformed(&a, "illegal opcode");
  /* a valid if/else/end nest */
  FUNC_MODULE(&a, k_void, 0, 0x41, 0, 0x04, 0x40, 0x02, 0x40, 0x0b, 0x05, 0x03,
              0x40, 0x0b, 0x0b, 0x0b);
  expect_valid(&a);
}

/* opcodes.def against the decoder: every listed opcode decodes with
 * immediates of its kind, every unlisted one is an illegal opcode. */
enum {
  IMM_NONE,
  IMM_BLOCKTYPE,
  IMM_LABEL,
  IMM_BR_TABLE,
  IMM_FUNC,
  IMM_CALL_INDIRECT,
  IMM_LOCAL,
  IMM_GLOBAL,
  IMM_TABLE,
  IMM_MEMARG,
  IMM_MEMORY0,
  IMM_I32,
  IMM_I64,
  IMM_F32,
  IMM_F64,
  IMM_REFTYPE,
  IMM_SELECT_T,
  IMM_DATA_MEMORY,
  IMM_DATA,
  IMM_MEMORY_MEMORY,
  IMM_ELEM_TABLE,
  IMM_ELEM,
  IMM_TABLE_TABLE,
  IMM_V128,
  IMM_SHUFFLE,
  IMM_LANE,
  IMM_MEMARG_LANE,
};

typedef struct OpInfo {
  uint16_t prefix, code;
  int imm;
} OpInfo;

#define ROW(pre, code, imm) { pre, code, IMM_##imm },
static const OpInfo k_listed[] = {
#define WG_OP(code, id, text, imm, ...)    ROW(0, code, imm)
#define WG_OP_FC(code, id, text, imm, ...) ROW(0xfc, code, imm)
#define WG_OP_FD(code, id, text, imm, ...) ROW(0xfd, code, imm)
#include "core/opcodes.def"
};

static bool listed(uint16_t prefix, uint16_t code) {
  for (size_t i = 0; i < sizeof k_listed / sizeof *k_listed; i++) {
    if (k_listed[i].prefix == prefix && k_listed[i].code == code) return true;
  }
  return false;
}

/* A body (locals vector, instruction, end) with the instruction `o`. */
static size_t op_body(const OpInfo *o, uint8_t *b) {
  size_t n = 0;
  b[n++] = 0;                              /* no locals */
  if (o->prefix == 0 && o->code == 0x05) { /* else needs an if */
    b[n++] = 0x41, b[n++] = 0, b[n++] = 0x04, b[n++] = 0x40;
  }
  if (o->prefix) b[n++] = (uint8_t)o->prefix;
  b[n++] = (uint8_t)(o->code | (o->code >= 0x80 ? 0x80 : 0));
  if (o->code >= 0x80 && o->prefix) b[n++] = (uint8_t)(o->code >> 7);
  static const uint8_t zeros[16] = { 0 };
  size_t extra = 0;
  switch (o->imm) {
    case IMM_NONE:
      break;
    case IMM_BLOCKTYPE:
      b[n++] = 0x40;
      b[n++] = 0x0b; /* close the block at once */
      break;
    case IMM_REFTYPE:
      b[n++] = 0x70;
      break;
    case IMM_SELECT_T:
      b[n++] = 1;
      b[n++] = 0x7f;
      break;
    case IMM_F32:
      extra = 4;
      break;
    case IMM_F64:
      extra = 8;
      break;
    case IMM_V128:
    case IMM_SHUFFLE:
      extra = 16;
      break;
    case IMM_MEMARG_LANE:
      extra = 3;
      break;
    case IMM_BR_TABLE:
    case IMM_CALL_INDIRECT:
    case IMM_MEMARG:
    case IMM_DATA_MEMORY:
    case IMM_MEMORY_MEMORY:
    case IMM_ELEM_TABLE:
    case IMM_TABLE_TABLE:
      extra = 2;
      break;
    default: /* one u32 index, zero byte or lane */
      extra = 1;
  }
  memcpy(b + n, zeros, extra);
  n += extra;
  if (o->prefix == 0 && o->code == 0x05) b[n++] = 0x0b; /* end of if */
  if (!(o->prefix == 0 && o->code == 0x0b)) b[n++] = 0x0b;
  return n;
}

static void opcode_table_matches_decoder(void **state) {
  (void)state;
  Asm a;
  uint8_t body[64];
  for (size_t i = 0; i < sizeof k_listed / sizeof *k_listed; i++) {
    size_t n = op_body(&k_listed[i], body);
    asm_func_module(&a, k_void, sizeof k_void, body, n);
    WgModule *m = NULL;
    WgDiagList *diags = wg_diag_list_new();
    if (asm_decode(&a, &m, diags) != WG_OK) {
      fail_msg("opcode %x %x: %s", k_listed[i].prefix, k_listed[i].code,
               wg_diag_list_first_error(diags));
    }
    wg_diag_list_delete(diags);
    wg_module_free(m);
  }
  assert_int_equal(sizeof k_listed / sizeof *k_listed, 437);
  for (unsigned pre = 0; pre < 3; pre++) {
    uint16_t prefix = pre == 0 ? 0 : pre == 1 ? 0xfc : 0xfd;
    for (uint16_t code = 0; code < 256; code++) {
      if (pre == 0 && (code == 0xfc || code == 0xfd)) continue;
      if (listed(prefix, code)) continue;
      OpInfo o = { prefix, code, IMM_NONE };
      size_t n = op_body(&o, body);
      asm_func_module(&a, k_void, sizeof k_void, body, n);
      expect_malformed(&a, "illegal opcode");
    }
  }
}

static void garbage_never_crashes(void **state) {
  (void)state;
  /* every prefix and every one-byte corruption of a module decodes or
   * fails cleanly */
  Asm good;
  FUNC_MODULE(&good, k_void, 1, 1, 0x7f, 0x41, 5, 0x21, 0, 0x02, 0x40, 0x20, 0,
              0x0d, 0, 0x0b, 0xfd, 0x0c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
              13, 14, 15, 16, 0x1a, 0x0b);
  expect_valid(&good);
  for (size_t n = 0; n < good.n; n++) {
    WgModule *m = NULL;
    if (wg_module_decode(good.b, n, (WgAllocator){ 0 }, WG_FEATURES_ALL, &m,
                         NULL) == WG_OK) {
      (void)wg_module_validate(m, NULL);
      wg_module_free(m);
    }
  }
  for (size_t i = 8; i < good.n; i++) {
    for (int v = 0; v < 256; v += 7) {
      Asm bad = good;
      bad.b[i] = (uint8_t)v;
      WgModule *m = NULL;
      WgDiagList *diags = wg_diag_list_new();
      WgStatus st = wg_module_decode(bad.b, bad.n, (WgAllocator){ 0 },
                                     WG_FEATURES_ALL, &m, diags);
      if (st == WG_OK) st = wg_module_validate(m, diags);
      wg_module_free(m);
      /* each failure is one located error with a message */
      if (st == WG_OK) {
        assert_int_equal(wg_diag_list_count(diags), 0);
      } else {
        check_error(&bad, diags, st, "");
        assert_true(wg_diag_list_first_error(diags)[0] != '\0');
      }
      wg_diag_list_delete(diags);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(empty_module_decodes),
    cmocka_unit_test(sections_are_recorded),
    cmocka_unit_test(all_segment_encodings_decode),
    cmocka_unit_test(preamble_errors),
    cmocka_unit_test(section_framing_errors),
    cmocka_unit_test(leb128_errors),
    cmocka_unit_test(name_and_kind_errors),
    cmocka_unit_test(count_consistency_errors),
    cmocka_unit_test(function_body_errors),
    cmocka_unit_test(opcode_table_matches_decoder),
    cmocka_unit_test(garbage_never_crashes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
