/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of codegen/src/c_types.c, the C types shared by the bindings
 * generators, driven here by a generator of its own (the hooks below), as
 * the host generator will: names and typedefs of docs/bindings.md
 * ("Names of items", "Types"), the Canonical ABI layout of the types
 * (CanonicalABI.md: size, alignment, flattening), which types own memory,
 * and what is refused. */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "c_types.h"
#include "witgen/wit.h"

/* The generator on top: counts its hook calls. */
typedef struct Host {
  int resources, frees;
  char last_own[64], last_borrow[64];
} Host;

static bool host_resource(void *user, WgWitId res, TypeInfo *own,
                          TypeInfo *borrow) {
  (void)res;
  Host *h = user;
  h->resources++;
  snprintf(h->last_own, sizeof h->last_own, "%s", own->cname);
  snprintf(h->last_borrow, sizeof h->last_borrow, "%s", borrow->cname);
  own->defined = borrow->defined = true;
  return true;
}

static const char *host_free_fn(void *user, WgWitType t) {
  (void)t;
  Host *h = user;
  h->frees++;
  return "host_free_impl";
}

typedef struct Fixture {
  WgDiagList *diags;
  WgWitResolve *r;
  CWorld w;
  CTypes t;
  Host host;
} Fixture;

static void setup(Fixture *f, const char *src) {
  memset(f, 0, sizeof *f);
  f->diags = wg_diag_list_new();
  assert_int_equal(
      wg_wit_load_source("t.wit", wg_str_from_cstr(src), NULL, f->diags, &f->r),
      WG_OK);
  WgWitId world = f->r->packages.items[f->r->main_package].worlds.items[0].id;
  assert_true(cw_init(&f->w, f->r, world, NULL, 0, f->diags));
  CTypeHooks hooks = { &f->host, host_resource, host_free_fn };
  assert_true(ct_init(&f->t, &f->w, &hooks));
}

static void teardown(Fixture *f) {
  ct_free(&f->t);
  cw_free(&f->w);
  wg_wit_resolve_free(f->r);
  wg_diag_list_delete(f->diags);
}

/* Type `name` of interface `iface` (or of the world when NULL). */
static WgWitType type_named(const WgWitResolve *r, const char *iface,
                            const char *name) {
  for (size_t i = 0; i < r->types.count; i++) {
    const WgWitTypeDef *d = &r->types.items[i];
    if (!d->name.ptr || !wg_str_eq(d->name, wg_str_from_cstr(name))) continue;
    if (!iface) return WG_WIT_TYPE_OF((WgWitId)i);
    if (d->owner_kind == WG_WIT_OWNER_INTERFACE &&
        wg_str_eq(r->interfaces.items[d->owner].name, wg_str_from_cstr(iface)))
      return WG_WIT_TYPE_OF((WgWitId)i);
  }
  fail_msg("no type %s", name);
  return 0;
}

/* The type of the first parameter of function `fn` of interface `iface`. */
static WgWitType param_type(const WgWitResolve *r, const char *iface,
                            const char *fn) {
  for (size_t i = 0; i < r->interfaces.count; i++) {
    const WgWitInterface *in = &r->interfaces.items[i];
    if (!in->name.ptr || !wg_str_eq(in->name, wg_str_from_cstr(iface)))
      continue;
    for (size_t j = 0; j < in->functions.count; j++)
      if (wg_str_eq(in->functions.items[j].name, wg_str_from_cstr(fn)))
        return in->functions.items[j].params.items[0].type;
  }
  fail_msg("no function %s", fn);
  return 0;
}

static const char *header(Fixture *f) {
  return wg_buf_cstr(&f->t.h_types);
}

static const char SRC[] =
    "package acme:shop;\n"
    "interface types {\n"
    "  /// A request.\n"
    "  record req { id: u8, size: u32, name: string }\n"
    "  record point { x: s16, y: s16 }\n"
    "  variant payment { cash, card(string), voucher(u64) }\n"
    "  enum size { small, large }\n"
    "  flags perms { read, write }\n"
    "  resource fields;\n"
    "  type name = string;\n"
    "  type spot = point;\n"
    "  f: func(a: list<u32>);\n"
    "  g: func(a: list<u32>);\n"
    "  h: func(a: option<string>);\n"
    "  k: func(a: stream<u8>);\n"
    "  m: func(a: tuple<u32, string>);\n"
    "}\n"
    "world shop { import types; }\n";

static void records_and_their_layout(void **state) {
  (void)state;
  Fixture f;
  setup(&f, SRC);
  f.w.side = SIDE_IMPORT;
  WgWitType req = type_named(f.r, "types", "req");
  assert_string_equal(ct_cname(&f.t, req), "shop_types_req_t");
  assert_non_null(strstr(header(&f), "/* A request. */\n"
                                     "typedef struct shop_types_req_t {\n"
                                     "  uint8_t id;\n"
                                     "  uint32_t size;\n"
                                     "  shop_string_t name;\n"
                                     "} shop_types_req_t;\n"));
  /* u8 at 0, u32 at 4, string (i32 ptr, i32 len) at 8: 16 bytes, align 4;
   * flattened to i32 i32 i32 i32. */
  const WgAbiType *abi = ct_abi(&f.t, req);
  assert_int_equal(wg_abi_size(abi, 4), 16);
  assert_int_equal(wg_abi_alignment(abi, 4), 4);
  WgCoreType flat[8];
  assert_int_equal(wg_abi_flatten(abi, 4, flat, 8), 4);
  /* It owns a string: a `_free` declared here, defined over the hook. */
  assert_true(ct_owns(&f.t, req));
  assert_int_equal(f.host.frees, 1);
  assert_non_null(
      strstr(header(&f), "void shop_types_req_free(shop_types_req_t *v);"));
  assert_string_equal(wg_buf_cstr(&f.t.c_frees),
                      "void shop_types_req_free(shop_types_req_t *v) { "
                      "host_free_impl(v); }\n\n");
  /* A record of plain numbers owns nothing: no `_free`. */
  WgWitType point = type_named(f.r, "types", "point");
  assert_string_equal(ct_cname(&f.t, point), "shop_types_point_t");
  assert_false(ct_owns(&f.t, point));
  assert_int_equal(f.host.frees, 1);
  assert_int_equal(wg_abi_size(ct_abi(&f.t, point), 4), 4);
  /* Asked again: the same name, defined once. */
  assert_string_equal(ct_cname(&f.t, req), "shop_types_req_t");
  const char *h = header(&f);
  assert_ptr_equal(strstr(strstr(h, "typedef struct shop_types_req_t") + 1,
                          "typedef struct shop_types_req_t"),
                   NULL);
  assert_int_equal(wg_diag_list_count(f.diags), 0);
  teardown(&f);
}

static void variants_enums_flags(void **state) {
  (void)state;
  Fixture f;
  setup(&f, SRC);
  assert_string_equal(ct_cname(&f.t, type_named(f.r, "types", "payment")),
                      "shop_types_payment_t");
  assert_non_null(strstr(header(&f), "typedef struct shop_types_payment_t {\n"
                                     "  uint8_t tag;\n"
                                     "  union {\n"
                                     "    shop_string_t card;\n"
                                     "    uint64_t voucher;\n"
                                     "  } val;\n"
                                     "} shop_types_payment_t;\n"
                                     "#define SHOP_TYPES_PAYMENT_CASH 0\n"
                                     "#define SHOP_TYPES_PAYMENT_CARD 1\n"
                                     "#define SHOP_TYPES_PAYMENT_VOUCHER 2\n"));
  /* tag at 0, payload aligned to 8 (u64) at 8: 16 bytes. */
  assert_int_equal(
      wg_abi_size(ct_abi(&f.t, type_named(f.r, "types", "payment")), 4), 16);
  assert_string_equal(ct_cname(&f.t, type_named(f.r, "types", "size")),
                      "shop_types_size_t");
  assert_non_null(strstr(header(&f), "typedef uint8_t shop_types_size_t;\n"
                                     "#define SHOP_TYPES_SIZE_SMALL 0\n"
                                     "#define SHOP_TYPES_SIZE_LARGE 1\n"));
  assert_string_equal(ct_cname(&f.t, type_named(f.r, "types", "perms")),
                      "shop_types_perms_t");
  assert_non_null(
      strstr(header(&f),
             "typedef uint8_t shop_types_perms_t;\n"
             "#define SHOP_TYPES_PERMS_READ ((shop_types_perms_t)1 << 0)\n"
             "#define SHOP_TYPES_PERMS_WRITE ((shop_types_perms_t)1 << 1)\n"));
  teardown(&f);
}

static void anonymous_shop_types_by_shape(void **state) {
  (void)state;
  Fixture f;
  setup(&f, SRC);
  WgWitType a = param_type(f.r, "types", "f"),
            b = param_type(f.r, "types", "g");
  assert_string_equal(ct_cname(&f.t, a), "shop_list_u32_t");
  assert_ptr_equal(ct_type(&f.t, a), ct_type(&f.t, b)); /* one shape */
  assert_non_null(strstr(header(&f), "typedef struct shop_list_u32_t {\n"
                                     "  uint32_t *ptr;\n"
                                     "  size_t len;\n"
                                     "} shop_list_u32_t;\n"));
  assert_string_equal(ct_cname(&f.t, param_type(f.r, "types", "h")),
                      "shop_option_string_t");
  WgWitType tuple = param_type(f.r, "types", "m");
  assert_string_equal(ct_cname(&f.t, tuple), "shop_tuple2_u32_string_t");
  /* u32 at 0, string at 4: 12 bytes. */
  assert_int_equal(wg_abi_size(ct_abi(&f.t, tuple), 4), 12);
  assert_true(ct_owns(&f.t, a)); /* a list owns its buffer */
  teardown(&f);
}

static void aliases_and_resources(void **state) {
  (void)state;
  Fixture f;
  setup(&f, SRC);
  assert_string_equal(ct_cname(&f.t, type_named(f.r, "types", "name")),
                      "shop_types_name_t");
  assert_non_null(strstr(header(&f),
                         "typedef shop_string_t shop_types_name_t;\n"
                         "#define shop_types_name_free "
                         "shop_string_free\n"));
  /* An alias of a type owning nothing has no `_free`. */
  assert_string_equal(ct_cname(&f.t, type_named(f.r, "types", "spot")),
                      "shop_types_spot_t");
  assert_non_null(strstr(header(&f), "typedef shop_types_point_t "
                                     "shop_types_spot_t;\n\n"));
  assert_null(strstr(header(&f), "shop_types_spot_free"));
  /* A resource: named here (owned and borrowed handle types), emitted by
   * the generator's hook. */
  WgWitType res = type_named(f.r, "types", "fields");
  assert_string_equal(ct_cname(&f.t, res), "shop_types_fields_t");
  assert_int_equal(f.host.resources, 1);
  assert_string_equal(f.host.last_own, "shop_types_fields_t");
  assert_string_equal(f.host.last_borrow, "shop_types_borrow_fields_t");
  assert_true(ct_owns(&f.t, res));
  ct_cname(&f.t, res);
  assert_int_equal(f.host.resources, 1); /* once */
  teardown(&f);
}

static void streams_are_refused(void **state) {
  (void)state;
  Fixture f;
  setup(&f, SRC);
  f.w.item = "acme:shop/types#k";
  assert_false(
      ct_supported(&f.t, param_type(f.r, "types", "k"), "parameter of `k`"));
  assert_int_equal(f.w.status, WG_ERR_UNSUPPORTED);
  const WgDiag *d = wg_diag_list_get(f.diags, 0);
  assert_string_equal(d->message,
                      "not supported yet: stream in parameter of `k`");
  assert_string_equal(d->wit_path, "acme:shop/types#k");
  /* After an error nothing more is named. */
  assert_null(ct_type(&f.t, type_named(f.r, "types", "req")));
  teardown(&f);
}

static void core_types(void **state) {
  (void)state;
  assert_string_equal(ct_core_ctype(WG_CORE_I32), "int32_t");
  assert_string_equal(ct_core_ctype(WG_CORE_I64), "int64_t");
  assert_string_equal(ct_core_ctype(WG_CORE_F32), "float");
  assert_string_equal(ct_core_ctype(WG_CORE_F64), "double");
  WgBuf b = { 0 };
  ct_put_docs(&b, WG_STR("a */ b\nc"), "  ");
  assert_string_equal(wg_buf_cstr(&b), "  /* a * / b\n   * c */\n");
  wg_buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(records_and_their_layout),
    cmocka_unit_test(variants_enums_flags),
    cmocka_unit_test(anonymous_shop_types_by_shape),
    cmocka_unit_test(aliases_and_resources),
    cmocka_unit_test(streams_are_refused),
    cmocka_unit_test(core_types),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
