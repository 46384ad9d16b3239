/* SPDX-License-Identifier: Apache-2.0 */
/* Diagnostics: collected in a WgDiagList, rendered compiler-style with a
 * caret excerpt. Line/column are derived from byte offsets when printing. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vec.h"
#include "witgen/common.h"

typedef struct DiagFile {
  char *path;
  char *text;
  size_t len;
} DiagFile;

struct WgDiagList {
  WgVec(WgDiag) diags;
  WgVec(DiagFile) files;
  size_t errors;
  bool oom; /* a diagnostic was dropped for lack of memory */
};

WgDiagList *wg_diag_list_new(void) {
  return calloc(1, sizeof(WgDiagList));
}

void wg_diag_list_delete(WgDiagList *list) {
  if (!list) return;
  for (size_t i = 0; i < list->diags.count; i++) {
    free(list->diags.items[i].message);
    free(list->diags.items[i].wit_path);
  }
  for (size_t i = 0; i < list->files.count; i++) {
    free(list->files.items[i].path);
    free(list->files.items[i].text);
  }
  wg_vec_free(&list->diags);
  wg_vec_free(&list->files);
  free(list);
}

uint32_t wg_diag_list_add_file(WgDiagList *list, const char *path, WgStr text) {
  if (!list) return UINT32_MAX;
  DiagFile f = { strdup(path ? path : "<input>"), malloc(text.len + 1),
                 text.len };
  if (!f.path || !f.text || !wg_vec_push(&list->files, f)) {
    free(f.path);
    free(f.text);
    list->oom = true;
    return UINT32_MAX;
  }
  if (text.len) memcpy(f.text, text.ptr, text.len);
  f.text[text.len] = '\0';
  return (uint32_t)(list->files.count - 1);
}

/* Appends `d` with the formatted message; frees what cannot be kept. */
static void add(WgDiagList *list, WgDiag d, const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  d.message = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (d.message) vsnprintf(d.message, (size_t)n + 1, fmt, ap);
  if (!d.message || !wg_vec_push(&list->diags, d)) {
    free(d.message);
    free(d.wit_path);
    list->oom = true;
  }
  if (d.severity == WG_SEVERITY_ERROR) list->errors++;
}

void wg_diag_list_vaddf(WgDiagList *list, WgSeverity severity, WgStatus code,
                        const WgSpan *span, const char *fmt, va_list ap) {
  if (!list) return;
  WgDiag d = { .severity = severity, .code = code, .has_span = span != NULL };
  if (span) d.span = *span;
  add(list, d, fmt, ap);
}

void wg_diag_list_addf(WgDiagList *list, WgSeverity severity, WgStatus code,
                       const WgSpan *span, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wg_diag_list_vaddf(list, severity, code, span, fmt, ap);
  va_end(ap);
}

void wg_diag_list_add_at(WgDiagList *list, WgStatus code, uint64_t offset,
                         const char *fmt, ...) {
  if (!list) return;
  WgDiag d = { .severity = WG_SEVERITY_ERROR,
               .code = code,
               .has_offset = true,
               .offset = offset };
  va_list ap;
  va_start(ap, fmt);
  add(list, d, fmt, ap);
  va_end(ap);
}

void wg_diag_list_add_wit(WgDiagList *list, WgStatus code, WgStr wit_path,
                          const char *fmt, ...) {
  if (!list) return;
  WgDiag d = { .severity = WG_SEVERITY_ERROR, .code = code };
  d.wit_path = malloc(wit_path.len + 1);
  if (d.wit_path) {
    if (wit_path.len) memcpy(d.wit_path, wit_path.ptr, wit_path.len);
    d.wit_path[wit_path.len] = '\0';
  }
  va_list ap;
  va_start(ap, fmt);
  add(list, d, fmt, ap);
  va_end(ap);
}

size_t wg_diag_list_count(const WgDiagList *list) {
  return list ? list->diags.count : 0;
}

size_t wg_diag_list_error_count(const WgDiagList *list) {
  return list ? list->errors : 0;
}

const char *wg_diag_list_first_error(const WgDiagList *list) {
  for (size_t i = 0; list && i < list->diags.count; i++)
    if (list->diags.items[i].severity == WG_SEVERITY_ERROR)
      return list->diags.items[i].message ? list->diags.items[i].message : "";
  return "";
}

const WgDiag *wg_diag_list_get(const WgDiagList *list, size_t i) {
  return i < list->diags.count ? &list->diags.items[i] : NULL;
}

static const char *severity_name(WgSeverity s) {
  switch (s) {
    case WG_SEVERITY_ERROR:
      return "error";
    case WG_SEVERITY_WARNING:
      return "warning";
    case WG_SEVERITY_NOTE:
      return "note";
  }
  return "error";
}

/* Prints one diagnostic with its source line and a caret underline. Columns
 * count bytes plus one, like most compilers for ASCII text. */
static void print_one(const WgDiagList *list, const WgDiag *d, FILE *out) {
  const DiagFile *f = NULL;
  if (d->has_span && d->span.file < list->files.count)
    f = &list->files.items[d->span.file];
  if (!f) {
    if (d->has_offset)
      fprintf(out, "offset 0x%llx: ", (unsigned long long)d->offset);
    fprintf(out, "%s: %s\n", severity_name(d->severity), d->message);
    if (d->wit_path) fprintf(out, "  in `%s`\n", d->wit_path);
    return;
  }
  size_t start = d->span.start > f->len ? f->len : d->span.start;
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < start; i++) {
    if (f->text[i] == '\n') {
      line++;
      line_start = i + 1;
    }
  }
  size_t line_end = line_start;
  while (line_end < f->len && f->text[line_end] != '\n')
    line_end++;
  size_t col = start - line_start + 1;
  fprintf(out, "%s:%zu:%zu: %s: %s\n", f->path, line, col,
          severity_name(d->severity), d->message);
  int width = fprintf(out, "%5zu | ", line) - 2;
  for (size_t i = line_start; i < line_end; i++) {
    unsigned char c = (unsigned char)f->text[i];
    fputc(c == '\t' || c >= 0x20 ? c : ' ', out);
  }
  fprintf(out, "\n%*s| ", width, "");
  for (size_t i = line_start; i < start; i++)
    fputc(f->text[i] == '\t' ? '\t' : ' ', out);
  size_t end = d->span.end < start ? start : d->span.end;
  if (end > line_end) end = line_end;
  fputc('^', out);
  for (size_t i = start + 1; i < end; i++)
    fputc('~', out);
  fputc('\n', out);
  if (d->wit_path) fprintf(out, "  in `%s`\n", d->wit_path);
}

void wg_diag_list_print(const WgDiagList *list, void *out) {
  FILE *fp = out;
  for (size_t i = 0; i < list->diags.count; i++)
    print_one(list, &list->diags.items[i], fp);
  if (list->oom)
    fprintf(fp, "error: some diagnostics were lost (out of memory)\n");
}
