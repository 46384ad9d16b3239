/* SPDX-License-Identifier: Apache-2.0 */
/* The VectorProcessor component, in C on witgen's guest bindings of
 * wit/vector.wit (vector.h): the resource's representation is a growable
 * array of doubles; it logs through the host's `log` interface. */
#include <stdlib.h>
#include <string.h>

#include "vector.h"

struct exports_vp_vector_processor {
  double *v;
  size_t n, cap;
};

typedef exports_vp_vector_processor_rep_t rep_t;

/* Logs `what` and a count through the host (no stdio here: the component
 * imports nothing but its world). */
static void log_count(const char *what, size_t n) {
  char text[64], digits[24];
  size_t len = strlen(what), k = 0;
  memcpy(text, what, len);
  do
    digits[k++] = (char)('0' + n % 10);
  while ((n /= 10) && k < sizeof digits);
  while (k)
    text[len++] = digits[--k];
  vector_string_t s = { (uint8_t *)text, len };
  vector_log_info(s); /* borrowed for the call */
}

static void push(rep_t *r, double x) {
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 8;
    r->v = realloc(r->v, r->cap * sizeof *r->v);
    if (!r->v) abort();
  }
  r->v[r->n++] = x;
}

exports_vp_vector_processor_t
exports_vp_vector_processor_constructor(vector_list_f64_t values) {
  rep_t *r = calloc(1, sizeof *r);
  for (size_t i = 0; i < values.len; i++)
    push(r, values.ptr[i]);
  vector_list_f64_free(&values); /* arguments are ours */
  log_count("new vector, values: ", r->n);
  return exports_vp_vector_processor_new(r);
}

void exports_vp_vector_processor_destructor(rep_t *r) {
  log_count("vector freed, values: ", r->n);
  free(r->v);
  free(r);
}

void exports_vp_vector_processor_push(exports_vp_borrow_vector_processor_t self,
                                      double value) {
  push(self, value);
}

uint32_t
exports_vp_vector_processor_len(exports_vp_borrow_vector_processor_t self) {
  return (uint32_t)self->n;
}

double
exports_vp_vector_processor_sum(exports_vp_borrow_vector_processor_t self) {
  double s = 0;
  for (size_t i = 0; i < self->n; i++)
    s += self->v[i];
  return s;
}

vector_option_f64_t
exports_vp_vector_processor_mean(exports_vp_borrow_vector_processor_t self) {
  vector_option_f64_t r = { self->n > 0, 0 };
  if (r.is_some)
    r.val = exports_vp_vector_processor_sum(self) / (double)self->n;
  return r;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

vector_list_f64_t
exports_vp_vector_processor_sorted(exports_vp_borrow_vector_processor_t self) {
  vector_list_f64_t r = { malloc(self->n * sizeof(double) + 1), self->n };
  memcpy(r.ptr, self->v, self->n * sizeof(double));
  qsort(r.ptr, r.len, sizeof(double), cmp);
  return r; /* given away: the bindings free it */
}

vector_result_exports_vp_stats_string_t
exports_vp_vector_processor_stats(exports_vp_borrow_vector_processor_t self) {
  vector_result_exports_vp_stats_string_t r;
  memset(&r, 0, sizeof r);
  if (self->n == 0) {
    r.is_err = true;
    vector_string_set(&r.val.err, "no values"); /* static: never freed */
    return r;
  }
  exports_vp_stats_t *s = &r.val.ok;
  s->count = (uint32_t)self->n;
  s->min = s->max = self->v[0];
  for (size_t i = 1; i < self->n; i++) {
    if (self->v[i] < s->min) s->min = self->v[i];
    if (self->v[i] > s->max) s->max = self->v[i];
  }
  s->mean = exports_vp_vector_processor_sum(self) / (double)self->n;
  return r;
}

exports_vp_vector_processor_t
exports_vp_vector_processor_concat(exports_vp_borrow_vector_processor_t a,
                                   exports_vp_borrow_vector_processor_t b) {
  rep_t *r = calloc(1, sizeof *r);
  for (size_t i = 0; i < a->n; i++)
    push(r, a->v[i]);
  for (size_t i = 0; i < b->n; i++)
    push(r, b->v[i]);
  log_count("new vector, values: ", r->n);
  return exports_vp_vector_processor_new(r);
}
