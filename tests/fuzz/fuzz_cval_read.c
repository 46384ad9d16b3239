/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target of the value readers (wg_cval_parse_wave,
 * wg_cval_parse_wave_args, wg_cval_parse_wast). The first byte picks a
 * type of the component below and the syntax; the rest is the text. What
 * reads must be a value of its type (wg_cval_check) and, for WAVE, print
 * (wg_cval_print) as text that reads back as an equal value. Anything may
 * be refused; nothing may crash, leak, hang or be refused without a
 * located message. */
#include <stdlib.h>
#include <string.h>

#include "witgen/component.h"
#include "witgen/wat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char TYPES[] =
    "(component\n"
    "  (type $point' (record (field \"x\" s32) (field \"y\" f64)\n"
    "                        (field \"label\" (option string))))\n"
    "  (import \"point\" (type $point (eq $point')))\n"
    "  (type $shape' (variant (case \"circle\" f32) (case \"square\" $point)\n"
    "                         (case \"none\") (case \"ok\" char)))\n"
    "  (import \"shape\" (type $shape (eq $shape')))\n"
    "  (type $dir' (enum \"north\" \"south\" \"err\"))\n"
    "  (import \"dir\" (type $dir (eq $dir')))\n"
    "  (type $perm' (flags \"read\" \"write\" \"exec\"))\n"
    "  (import \"perm\" (type $perm (eq $perm')))\n"
    "  (import \"a\" (func (param \"v\" bool) (param \"w\" s8) (param \"x\" "
    "u64)\n"
    "                 (param \"y\" (option (option s16)))))\n"
    "  (import \"b\" (func (param \"v\" (list $point))))\n"
    "  (import \"c\" (func (param \"v\" (tuple $shape $dir $perm string))))\n"
    "  (import \"d\" (func (param \"v\" (result (list u8) (error (list "
    "char))))))\n"
    "  (import \"e\" (func (param \"v\" (list (option (result))))))\n"
    "  (import \"f\" (func (param \"v\" (list f32 2))))\n"
    "  (import \"g\" (func (param \"v\" (result $shape))))\n"
    ")\n";

static WgEngine *engine;
static WgWasmComponent *types;
static const WgCFuncTy *funcs[16];
static size_t nfuncs;

static void init(void) {
  engine = wg_engine_new(NULL);
  WgBuf bin = { 0 };
  if (wg_wat_parse(WG_STR(TYPES), NULL, NULL, &bin) != WG_OK ||
      wg_wasm_component_load(engine, (const uint8_t *)bin.data, bin.len, &types,
                             NULL) != WG_OK)
    abort();
  wg_buf_free(&bin);
  const WgCComponentTy *ct = wg_wasm_component_type(types);
  for (uint32_t i = 0; i < ct->import_count && nfuncs < 16; i++)
    if (ct->imports[i].type.sort == WG_CSORT_FUNC)
      funcs[nfuncs++] = ct->imports[i].type.of.func;
}

/* An error must come with a located message. */
static void refused(WgStatus st, WgDiagList *d) {
  if (st == WG_ERR_NOMEM) return;
  const WgDiag *g = wg_diag_list_count(d) ? wg_diag_list_get(d, 0) : NULL;
  if (!g || !g->has_span || !g->message[0]) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!engine) init();
  if (size < 1) return 0;
  uint8_t pick = data[0];
  const WgCFuncTy *f = funcs[(pick & 0x3f) % nfuncs];
  WgStr text = { (const char *)data + 1, size - 1 };
  WgDiagList *d = wg_diag_list_new();
  if (pick & 0x80) {
    /* call arguments in WAVE */
    WgCVal args[8];
    WgStatus st = wg_cval_parse_wave_args(text, f, NULL, args, d);
    if (st == WG_OK) {
      for (uint32_t i = 0; i < f->param_count; i++) {
        if (!wg_cval_check(&args[i], f->params[i], NULL)) abort();
        wg_cval_free(&args[i]);
      }
    } else {
      refused(st, d);
    }
  } else {
    const WgCValTy *t = f->params[f->param_count - 1];
    bool wave = (pick & 0x40) == 0;
    WgCVal v;
    WgStatus st = wave ? wg_cval_parse_wave(text, t, NULL, &v, d)
                       : wg_cval_parse_wast(text, t, NULL, &v, d);
    if (st == WG_OK) {
      if (!wg_cval_check(&v, t, NULL)) abort();
      if (wave) {
        /* printed back, it reads as the same value */
        WgBuf b = { 0 };
        wg_cval_print(&b, &v, t);
        WgCVal again;
        if (!b.failed) {
          if (wg_cval_parse_wave((WgStr){ b.data, b.len }, t, NULL, &again,
                                 NULL) != WG_OK ||
              !wg_cval_equal(&v, &again))
            abort();
          wg_cval_free(&again);
        }
        wg_buf_free(&b);
      }
      wg_cval_free(&v);
    } else {
      refused(st, d);
    }
  }
  wg_diag_list_delete(d);
  return 0;
}
