/* SPDX-License-Identifier: Apache-2.0 */
/* Component binary decoder: a component-type section produced by the oracle
 * (wasm-tools `component embed` of examples/demo/wit, via jco 1.35.0), hand
 * assembled edge cases, and every truncation of valid input. */
#include "cmocka_all.h"
#include <stdio.h>

#include <stdlib.h>
#include <string.h>

#include "witgen/component_binary.h"

#include "kv_app_type.h"

/* wg_component_decode() with its first error's message and byte offset. */
typedef struct DecodeErr {
  char message[200];
  uint64_t offset;
} DecodeErr;

static WgStatus decode(const uint8_t *bytes, size_t len, WgComponent **out,
                       DecodeErr *err) {
  WgDiagList *diags = wg_diag_list_new();
  WgStatus st = wg_component_decode(bytes, len, (WgAllocator){ 0 }, out, diags);
  const WgDiag *d = wg_diag_list_get(diags, 0);
  snprintf(err->message, sizeof err->message, "%s",
           wg_diag_list_first_error(diags));
  err->offset = d ? d->offset : 0;
  if (st != WG_OK) assert_true(d && d->has_offset);
  wg_diag_list_delete(diags);
  return st;
}

static WgComponent *decode_ok(const uint8_t *bytes, size_t len) {
  WgComponent *c = NULL;
  DecodeErr err;
  WgStatus st = decode(bytes, len, &c, &err);
  if (st != WG_OK)
    fail_msg("decode failed at %zu: %s", (size_t)err.offset, err.message);
  return c;
}

static bool str_is(WgStr s, const char *lit) {
  return s.len == strlen(lit) && memcmp(s.ptr, lit, s.len) == 0;
}

static void test_oracle_world_type(void **state) {
  (void)state;
  assert_true(wg_component_is_component(kv_app, sizeof kv_app));
  WgComponent *c = decode_ok(kv_app, sizeof kv_app);
  /* custom wit-component-encoding, type, export "app", custom producers */
  assert_int_equal(c->def_count, 4);
  assert_int_equal(c->defs[0].kind, WG_CDEF_CUSTOM);
  assert_true(str_is(c->defs[0].u.custom.name, "wit-component-encoding"));
  assert_int_equal(c->defs[0].u.custom.len, 2);
  assert_int_equal(c->defs[1].kind, WG_CDEF_TYPE);
  assert_int_equal(c->defs[2].kind, WG_CDEF_EXPORT);
  assert_true(str_is(c->defs[2].u.extern_.name.name, "app"));
  assert_int_equal(c->defs[2].u.extern_.sort, WG_CSORT_TYPE);
  assert_int_equal(c->defs[3].kind, WG_CDEF_CUSTOM);
  assert_true(str_is(c->defs[3].u.custom.name, "producers"));

  /* (component (type (component ...)) (export "demo:kv/app@0.1.0" ...)) */
  const WgCType *outer = c->defs[1].u.type;
  assert_int_equal(outer->kind, WG_CT_COMPONENT);
  assert_int_equal(outer->u.decls.count, 2);
  const WgCDecl *exp = &outer->u.decls.items[1];
  assert_int_equal(exp->kind, WG_CDECL_EXPORT);
  assert_true(str_is(exp->u.extern_.name.name, "demo:kv/app@0.1.0"));
  assert_int_equal(exp->u.extern_.type.kind, 0x04);

  /* The world: imports types and store instances, exports func run. */
  const WgCType *world = outer->u.decls.items[0].u.type;
  assert_int_equal(world->kind, WG_CT_COMPONENT);
  int imports = 0, exports = 0;
  for (uint32_t i = 0; i < world->u.decls.count; i++) {
    const WgCDecl *d = &world->u.decls.items[i];
    if (d->kind == WG_CDECL_IMPORT) {
      imports++;
      assert_int_equal(d->u.extern_.type.kind, 0x05); /* instance */
    }
    if (d->kind == WG_CDECL_EXPORT) {
      exports++;
      assert_true(str_is(d->u.extern_.name.name, "run"));
      assert_int_equal(d->u.extern_.type.kind, 0x01); /* func */
    }
  }
  assert_int_equal(imports, 2);
  assert_int_equal(exports, 1);

  /* The types instance: variant error with 3 cases, record stats. */
  const WgCType *types = world->u.decls.items[0].u.type;
  assert_int_equal(types->kind, WG_CT_INSTANCE);
  const WgCType *error = types->u.decls.items[0].u.type;
  assert_int_equal(error->kind, WG_CT_VARIANT);
  assert_int_equal(error->u.fields.count, 3);
  assert_true(str_is(error->u.fields.items[0].label, "not-found"));
  assert_true(error->u.fields.items[0].has_type);
  assert_int_equal(error->u.fields.items[0].type.prim, WG_CPRIM_STRING);
  assert_false(error->u.fields.items[1].has_type);
  wg_component_free(c);
}

/* Every proper prefix is malformed, never a crash or a read past the end
 * (run under ASan in the asan preset). */
static void test_every_truncation_fails(void **state) {
  (void)state;
  for (size_t len = 0; len < sizeof kv_app; len++) {
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, kv_app, len);
    WgComponent *c = (WgComponent *)1;
    DecodeErr err;
    WgStatus st = decode(copy, len, &c, &err);
    /* A cut exactly between sections is a valid shorter component. */
    if (st == WG_OK) {
      wg_component_free(c);
    } else {
      assert_int_equal(st, WG_ERR_MALFORMED);
      assert_null(c);
      assert_true(err.message[0] != '\0');
      assert_true(err.offset <= len);
    }
    free(copy);
  }
}

static void test_bad_preamble(void **state) {
  (void)state;
  static const uint8_t core[] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
  WgComponent *c;
  DecodeErr err;
  assert_false(wg_component_is_component(core, sizeof core));
  assert_int_equal(decode(core, sizeof core, &c, &err), WG_ERR_MALFORMED);
  assert_non_null(strstr(err.message, "component"));
  static const uint8_t junk[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  assert_int_equal(decode(junk, sizeof junk, &c, &err), WG_ERR_MALFORMED);
  assert_string_equal(err.message, "magic header not detected");
}

/* A type section with (record (field "a" u32) (field "b" string)),
 * (list 0), a fixed list, a result<_, u8>, and a resource with dtor. */
static void test_hand_assembled_types(void **state) {
  (void)state;
  static const uint8_t bin[] = {
    0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00,
    0x07, 0x16, 0x05,                               /* type section, 5 */
    0x72, 0x02, 0x01, 'a',  0x79, 0x01, 'b',  0x73, /* record */
    0x70, 0x00,                                     /* list<type 0> */
    0x67, 0x7d, 0x04,                               /* list<u8, 4> */
    0x6a, 0x00, 0x01, 0x7d,                         /* result<_, u8> */
    0x3f, 0x7f, 0x01, 0x05
  }; /* resource dtor 5 */
  WgComponent *c = decode_ok(bin, sizeof bin);
  assert_int_equal(c->def_count, 5);
  const WgCType *rec = c->defs[0].u.type;
  assert_int_equal(rec->kind, WG_CT_RECORD);
  assert_int_equal(rec->u.fields.count, 2);
  assert_int_equal(rec->u.fields.items[1].type.prim, WG_CPRIM_STRING);
  assert_int_equal(c->defs[1].u.type->kind, WG_CT_LIST);
  assert_int_equal(c->defs[1].u.type->u.list.elem.prim, 0);
  assert_int_equal(c->defs[2].u.type->kind, WG_CT_FIXED_LIST);
  assert_int_equal(c->defs[2].u.type->u.list.len, 4);
  const WgCType *res = c->defs[3].u.type;
  assert_false(res->u.result.has_ok);
  assert_true(res->u.result.has_err);
  const WgCType *rs = c->defs[4].u.type;
  assert_int_equal(rs->kind, WG_CT_RESOURCE);
  assert_true(rs->u.resource_def.has_dtor);
  assert_int_equal(rs->u.resource_def.dtor, 5);
  wg_component_free(c);
}

static void test_hostile_inputs(void **state) {
  (void)state;
  WgComponent *c;
  DecodeErr err;
  /* A vector count far beyond the section's bytes. */
  static const uint8_t huge_count[] = { 0x00, 0x61, 0x73, 0x6d, 0x0d,
                                        0x00, 0x01, 0x00, 0x07, 0x05,
                                        0xff, 0xff, 0xff, 0xff, 0x0f };
  assert_int_equal(decode(huge_count, sizeof huge_count, &c, &err),
                   WG_ERR_MALFORMED);
  /* 200 nested (list (list ...)) is fine; nesting of types is by index, so
   * depth comes from component types: 0x41 0x01 0x01 repeated. */
  enum { DEPTH = 150 };
  uint8_t deep[8 + 2 + 5 + DEPTH * 3 + 1];
  memcpy(deep,
         (const uint8_t[]){ 0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00 },
         8);
  size_t n = 8;
  deep[n++] = 0x07;
  size_t body = 1 + DEPTH * 3 + 1;
  deep[n++] = (uint8_t)(0x80 | (body & 0x7f));
  deep[n++] = (uint8_t)(body >> 7);
  deep[n++] = 0x01;
  for (int i = 0; i < DEPTH; i++) {
    deep[n++] = 0x41; /* component type */
    deep[n++] = 0x01; /* one declarator */
    deep[n++] = 0x01; /* a type */
  }
  deep[n++] = 0x7f;
  assert_int_equal(decode(deep, n, &c, &err), WG_ERR_MALFORMED);
  assert_non_null(strstr(err.message, "nested"));
  /* Bad UTF-8 in a name. */
  static const uint8_t bad_name[] = { 0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01,
                                      0x00, 0x00, 0x03, 0x02, 0xc3, 0x28 };
  assert_int_equal(decode(bad_name, sizeof bad_name, &c, &err),
                   WG_ERR_MALFORMED);
  assert_string_equal(err.message, "malformed UTF-8 encoding");
}

/* decode -> encode reproduces the oracle's bytes exactly. */
static void test_round_trip(void **state) {
  (void)state;
  WgComponent *c = decode_ok(kv_app, sizeof kv_app);
  WgBuf out = { 0 };
  wg_cencode_component(&out, c);
  assert_false(out.failed);
  assert_int_equal(out.len, sizeof kv_app);
  assert_memory_equal(out.data, kv_app, sizeof kv_app);
  wg_buf_free(&out);
  wg_component_free(c);
}

/* One canonical function of each opcode, its immediates spelled as
 * Binary.md ("Canonical Definitions") gives them: a component with a canon
 * section of that one function decodes to the opcode and encodes back to
 * the same bytes. */
static const struct {
  uint8_t len;
  uint8_t bytes[6];
} CANONS[] = {
  { 5, { 0x00, 0x00, 0x01, 0x00, 0x02 } }, /* lift f opts ft */
  { 4, { 0x01, 0x00, 0x01, 0x00 } },       /* lower f opts */
  { 2, { 0x02, 0x03 } },                   /* resource.new rt */
  { 2, { 0x03, 0x03 } },                   /* resource.drop rt */
  { 2, { 0x04, 0x03 } },                   /* resource.rep rt */
  { 1, { 0x24 } },                         /* backpressure.inc */
  { 1, { 0x25 } },                         /* backpressure.dec */
  { 4, { 0x09, 0x00, 0x79, 0x00 } },       /* task.return (result u32) */
  { 4, { 0x09, 0x01, 0x00, 0x00 } },       /* task.return */
  { 1, { 0x05 } },                         /* task.cancel */
  { 3, { 0x0a, 0x7f, 0x00 } },             /* context.get i32 0 */
  { 3, { 0x0b, 0x7f, 0x00 } },             /* context.set i32 0 */
  { 2, { 0x06, 0x01 } },                   /* subtask.cancel async */
  { 1, { 0x0d } },                         /* subtask.drop */
  { 2, { 0x0e, 0x02 } },                   /* stream.new t */
  { 3, { 0x0f, 0x02, 0x00 } },             /* stream.read t opts */
  { 3, { 0x10, 0x02, 0x00 } },             /* stream.write t opts */
  { 3, { 0x11, 0x02, 0x01 } },             /* stream.cancel-read t async */
  { 3, { 0x12, 0x02, 0x00 } },             /* stream.cancel-write t */
  { 2, { 0x13, 0x02 } },                   /* stream.drop-readable t */
  { 2, { 0x14, 0x02 } },                   /* stream.drop-writable t */
  { 2, { 0x15, 0x02 } },                   /* future.new t */
  { 3, { 0x16, 0x02, 0x00 } },             /* future.read t opts */
  { 3, { 0x17, 0x02, 0x00 } },             /* future.write t opts */
  { 3, { 0x18, 0x02, 0x00 } },             /* future.cancel-read t */
  { 3, { 0x19, 0x02, 0x01 } },             /* future.cancel-write t async */
  { 2, { 0x1a, 0x02 } },                   /* future.drop-readable t */
  { 2, { 0x1b, 0x02 } },                   /* future.drop-writable t */
  { 2, { 0x1c, 0x00 } },                   /* error-context.new opts */
  { 2, { 0x1d, 0x00 } },                   /* error-context.debug-message */
  { 1, { 0x1e } },                         /* error-context.drop */
  { 1, { 0x1f } },                         /* waitable-set.new */
  { 3, { 0x20, 0x01, 0x00 } },             /* waitable-set.wait cancel m */
  { 3, { 0x21, 0x00, 0x00 } },             /* waitable-set.poll m */
  { 1, { 0x22 } },                         /* waitable-set.drop */
  { 1, { 0x23 } },                         /* waitable.join */
  { 1, { 0x26 } },                         /* thread.index */
  { 3, { 0x27, 0x00, 0x00 } },             /* thread.new-indirect ft tbl */
  { 1, { 0x28 } },                         /* thread.resume-later */
  { 2, { 0x29, 0x01 } },                   /* thread.suspend cancellable */
  { 2, { 0x0c, 0x00 } },                   /* thread.yield */
  { 2, { 0x2a, 0x00 } },                   /* thread.suspend-then-resume */
  { 2, { 0x2b, 0x00 } },                   /* thread.yield-then-resume */
  { 2, { 0x2c, 0x00 } },                   /* thread.suspend-then-promote */
  { 2, { 0x2d, 0x00 } },                   /* thread.yield-then-promote */
  { 3, { 0x40, 0x00, 0x00 } },             /* thread.spawn-ref sh ft */
  { 4, { 0x41, 0x00, 0x00, 0x00 } },       /* thread.spawn-indirect */
  { 2, { 0x42, 0x00 } },                   /* available-parallelism sh */
};

/* A component of one canon section holding `canon` (len bytes). */
static size_t canon_component(uint8_t *out, const uint8_t *canon, size_t len) {
  static const uint8_t preamble[] = { 0x00, 0x61, 0x73, 0x6d,
                                      0x0d, 0x00, 0x01, 0x00 };
  memcpy(out, preamble, sizeof preamble);
  size_t n = sizeof preamble;
  out[n++] = 0x08;               /* canon section */
  out[n++] = (uint8_t)(len + 1); /* its size */
  out[n++] = 0x01;               /* one function */
  memcpy(out + n, canon, len);
  return n + len;
}

static bool listed(uint8_t op) {
  for (size_t i = 0; i < sizeof CANONS / sizeof *CANONS; i++)
    if (CANONS[i].bytes[0] == op) return true;
  return false;
}

static void test_every_canon_opcode(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof CANONS / sizeof *CANONS; i++) {
    uint8_t bin[32];
    size_t n = canon_component(bin, CANONS[i].bytes, CANONS[i].len);
    WgComponent *c = decode_ok(bin, n);
    assert_int_equal(c->def_count, 1);
    assert_int_equal(c->defs[0].kind, WG_CDEF_CANON);
    assert_int_equal(c->defs[0].u.canon.op, CANONS[i].bytes[0]);
    WgBuf out = { 0 };
    wg_cencode_component(&out, c);
    assert_int_equal(out.len, n);
    assert_memory_equal(out.data, bin, n);
    wg_buf_free(&out);
    wg_component_free(c);
  }
  /* every opcode of the table is among them */
#define WG_CANON_OP(id, code, text, imm, in_text) assert_true(listed(code));
#include "witgen/canon_ops.def"
  /* opcodes outside the table, and `resource.drop async` of a draft */
  static const uint8_t unknown[] = { 0x07, 0x08, 0x2e, 0x3f, 0x43, 0xff };
  for (size_t i = 0; i < sizeof unknown; i++) {
    uint8_t bin[32];
    uint8_t canon[] = { unknown[i], 0x00 };
    size_t n = canon_component(bin, canon, sizeof canon);
    WgComponent *c;
    DecodeErr err;
    assert_int_equal(decode(bin, n, &c, &err), WG_ERR_MALFORMED);
    assert_non_null(strstr(err.message, "malformed canonical function"));
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_oracle_world_type),
    cmocka_unit_test(test_every_truncation_fails),
    cmocka_unit_test(test_bad_preamble),
    cmocka_unit_test(test_hand_assembled_types),
    cmocka_unit_test(test_hostile_inputs),
    cmocka_unit_test(test_round_trip),
    cmocka_unit_test(test_every_canon_opcode),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
