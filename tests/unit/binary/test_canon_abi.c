/* SPDX-License-Identifier: Apache-2.0 */
/* Expected alignments, sizes and flat types below were computed by the
 * component model's reference implementation (canonical-abi/definitions.py:
 * alignment, elem_size, flatten_type) for the same types. */
#include "cmocka_all.h"

#include <string.h>

#include "witgen/canon_abi.h"

#define T(k)      ((WgAbiType){ (k), 0, NULL })
#define KIDS(...) ((const WgAbiType *const[]){ __VA_ARGS__ })
#define AGG(k, ...)                                                   \
  ((WgAbiType){ (k), sizeof(KIDS(__VA_ARGS__)) / sizeof(WgAbiType *), \
                KIDS(__VA_ARGS__) })

static const WgAbiType U8 = T(WG_ABI_U8), S16 = T(WG_ABI_S16),
                       U32 = T(WG_ABI_U32), U16 = T(WG_ABI_U16),
                       U64 = T(WG_ABI_U64), F32 = T(WG_ABI_F32),
                       F64 = T(WG_ABI_F64), CHR = T(WG_ABI_CHAR),
                       STR = T(WG_ABI_STRING);

typedef struct Case {
  const char *name;
  WgAbiType type;
  uint32_t align, size;
  const char *flat; /* one letter per core type: i=i32 I=i64 f=f32 F=f64 */
} Case;

static void check(const Case *c) {
  WgCoreType flat[32];
  uint32_t n = wg_abi_flatten(&c->type, 4, flat, 32);
  char got[33] = { 0 };
  for (uint32_t i = 0; i < n && i < 32; i++)
    got[i] = "iIfF"[flat[i]];
  if (wg_abi_alignment(&c->type, 4) != c->align ||
      wg_abi_size(&c->type, 4) != c->size || strcmp(got, c->flat) != 0) {
    fail_msg("%s: align %u size %u flat %s; expected %u %u %s", c->name,
             wg_abi_alignment(&c->type, 4), wg_abi_size(&c->type, 4), got,
             c->align, c->size, c->flat);
  }
}

static void abi_layout_matches_reference_implementation(void **state) {
  (void)state;
  const WgAbiType option_f32 = AGG(WG_ABI_OPTION, &F32);
  const WgAbiType rec_u8_f64 = AGG(WG_ABI_RECORD, &U8, &F64);
  const WgAbiType tup_u32_u32 = AGG(WG_ABI_TUPLE, &U32, &U32);
  const Case cases[] = {
    { "u8", U8, 1, 1, "i" },
    { "s16", S16, 2, 2, "i" },
    { "u64", U64, 8, 8, "I" },
    { "f32", F32, 4, 4, "f" },
    { "f64", F64, 8, 8, "F" },
    { "char", CHR, 4, 4, "i" },
    { "string", STR, 4, 8, "ii" },
    { "list<u8>", AGG(WG_ABI_LIST, &U8), 4, 8, "ii" },
    { "list<u16, 3>", { WG_ABI_FIXED_LIST, 3, KIDS(&U16) }, 2, 6, "iii" },
    { "record{u8,u32,u8}", AGG(WG_ABI_RECORD, &U8, &U32, &U8), 4, 12, "iii" },
    { "record{u8,u64}", AGG(WG_ABI_RECORD, &U8, &U64), 8, 16, "iI" },
    { "tuple<f32,string>", AGG(WG_ABI_TUPLE, &F32, &STR), 4, 12, "fii" },
    { "option<u8>", AGG(WG_ABI_OPTION, &U8), 1, 2, "ii" },
    { "option<u64>", AGG(WG_ABI_OPTION, &U64), 8, 16, "iI" },
    { "result<u32,string>", AGG(WG_ABI_RESULT, &U32, &STR), 4, 12, "iii" },
    { "result", { WG_ABI_RESULT, 2, KIDS(NULL, NULL) }, 1, 1, "i" },
    { "result<f32,u32>", AGG(WG_ABI_RESULT, &F32, &U32), 4, 8, "ii" },
    { "result<f32,f64>", AGG(WG_ABI_RESULT, &F32, &F64), 8, 16, "iI" },
    { "variant{f32,tuple<u32,u32>,_}",
      AGG(WG_ABI_VARIANT, &F32, &tup_u32_u32, NULL), 4, 12, "iii" },
    { "enum(300)", { WG_ABI_ENUM, 300, NULL }, 2, 2, "i" },
    { "enum(3)", { WG_ABI_ENUM, 3, NULL }, 1, 1, "i" },
    { "flags(9)", { WG_ABI_FLAGS, 9, NULL }, 2, 2, "i" },
    { "flags(32)", { WG_ABI_FLAGS, 32, NULL }, 4, 4, "i" },
    { "variant{option<f32>,record{u8,f64}}",
      AGG(WG_ABI_VARIANT, &option_f32, &rec_u8_f64), 8, 24, "iiI" },
    { "map<string,u8>", AGG(WG_ABI_MAP, &STR, &U8), 4, 8, "ii" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    check(&cases[i]);
}

static void abi_field_and_payload_offsets(void **state) {
  (void)state;
  const WgAbiType rec = AGG(WG_ABI_RECORD, &U8, &U32, &U8, &U64);
  assert_int_equal(wg_abi_field_offset(&rec, 0, 4), 0);
  assert_int_equal(wg_abi_field_offset(&rec, 1, 4), 4);
  assert_int_equal(wg_abi_field_offset(&rec, 2, 4), 8);
  assert_int_equal(wg_abi_field_offset(&rec, 3, 4), 16);
  assert_int_equal(wg_abi_size(&rec, 4), 24);
  const WgAbiType opt = AGG(WG_ABI_OPTION, &U64);
  assert_int_equal(wg_abi_payload_offset(&opt, 4), 8);
  const WgAbiType res = AGG(WG_ABI_RESULT, &STR, &U8);
  assert_int_equal(wg_abi_payload_offset(&res, 4), 4);
  assert_int_equal(wg_abi_discriminant_size(256), 1);
  assert_int_equal(wg_abi_discriminant_size(257), 2);
  assert_int_equal(wg_abi_discriminant_size(65537), 4);
}

static void abi_memory64_doubles_pointer_sized_values(void **state) {
  (void)state;
  const WgAbiType list = AGG(WG_ABI_LIST, &U8);
  assert_int_equal(wg_abi_alignment(&STR, 8), 8);
  assert_int_equal(wg_abi_size(&list, 8), 16);
  WgCoreType flat[2];
  assert_int_equal(wg_abi_flatten(&STR, 8, flat, 2), 2);
  assert_int_equal(flat[0], WG_CORE_I64);
}

static void abi_flatten_reports_full_count_past_capacity(void **state) {
  (void)state;
  const WgAbiType big = { WG_ABI_FIXED_LIST, 100, KIDS(&STR) };
  WgCoreType flat[4];
  assert_int_equal(wg_abi_flatten(&big, 4, flat, 4), 200);
}

static void abi_func_params_spill_past_sixteen(void **state) {
  (void)state;
  const WgAbiType *params[17];
  for (int i = 0; i < 17; i++)
    params[i] = &U32;
  WgAbiFuncSig sig;
  wg_abi_flatten_func(params, 16, &U32, 4, WG_ABI_LIFT, &sig);
  assert_false(sig.params_indirect);
  assert_int_equal(sig.param_count, 16);
  assert_int_equal(sig.result_count, 1);
  wg_abi_flatten_func(params, 17, NULL, 4, WG_ABI_LIFT, &sig);
  assert_true(sig.params_indirect);
  assert_int_equal(sig.param_count, 1);
  assert_int_equal(sig.params[0], WG_CORE_I32);
  assert_int_equal(sig.result_count, 0);
}

static void abi_func_results_use_return_area(void **state) {
  (void)state;
  const WgAbiType *params[] = { &F64 };
  WgAbiFuncSig sig;
  wg_abi_flatten_func(params, 1, &STR, 4, WG_ABI_LIFT, &sig);
  assert_true(sig.results_indirect);
  assert_int_equal(sig.param_count, 1);
  assert_int_equal(sig.params[0], WG_CORE_F64);
  assert_int_equal(sig.result_count, 1);
  assert_int_equal(sig.results[0], WG_CORE_I32);
  wg_abi_flatten_func(params, 1, &STR, 4, WG_ABI_LOWER, &sig);
  assert_int_equal(sig.param_count, 2);
  assert_int_equal(sig.params[1], WG_CORE_I32);
  assert_int_equal(sig.result_count, 0);
  /* 16 flat params plus a return pointer when lowering. */
  const WgAbiType *many[16];
  for (int i = 0; i < 16; i++)
    many[i] = &U32;
  wg_abi_flatten_func(many, 16, &STR, 4, WG_ABI_LOWER, &sig);
  assert_int_equal(sig.param_count, 17);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(abi_layout_matches_reference_implementation),
    cmocka_unit_test(abi_field_and_payload_offsets),
    cmocka_unit_test(abi_memory64_doubles_pointer_sized_values),
    cmocka_unit_test(abi_flatten_reports_full_count_past_capacity),
    cmocka_unit_test(abi_func_params_spill_past_sixteen),
    cmocka_unit_test(abi_func_results_use_return_area),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
