/* SPDX-License-Identifier: Apache-2.0 */
/* World `app` of wit/multi.wit: the notes service. It answers a request
 * (method, path, body) by calling the two other components: the store
 * (`kv`: get, set, remove, and a cursor to list notes) and the formatter
 * (`fmt`: JSON objects and text tables). Routes:
 *   GET    /notes[?prefix=P][&view=table]   the notes (whose key starts with P)
 *   GET    /notes/KEY                       one note
 *   PUT    /notes/KEY    (body: the note)   201 when new, 200 when replaced
 *   DELETE /notes/KEY                       200, or 404 when not there */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "buf.h"

typedef exports_multi_api_response_t Response;
typedef multi_format_field_t Field;

static bool eq(app_string_t s, const char *lit) {
  return s.len == strlen(lit) && memcmp(s.ptr, lit, s.len) == 0;
}

static app_string_t S(const char *lit) {
  app_string_t r;
  app_string_set(&r, lit);
  return r;
}

static app_string_t sub(app_string_t s, size_t from, size_t to) {
  return (app_string_t){ s.ptr + from, to - from };
}

/* A response with `fields` as a JSON object. */
static Response json(uint16_t status, Field *fields, size_t n) {
  app_list_multi_format_field_t list = { fields, n };
  return (Response){ status, S("application/json"),
                     multi_format_json_object(list) };
}

static Response message(uint16_t status, const char *name, const char *text,
                        app_string_t key) {
  Buf b = { 0 };
  buf_str(&b, text);
  if (key.ptr) {
    buf_str(&b, " `");
    buf_add(&b, key.ptr, key.len);
    buf_str(&b, "`");
  }
  Field f[] = { { S(name), { b.p, b.n } } };
  Response r = json(status, f, 1);
  free(b.p);
  return r;
}

/* The value of `name` in query string q (`a=1&b=2`), or none. */
static bool query(app_string_t q, const char *name, app_string_t *out) {
  size_t n = strlen(name), i = 0;
  while (i < q.len) {
    size_t end = i;
    while (end < q.len && q.ptr[end] != '&')
      end++;
    if (end - i > n && q.ptr[i + n] == '=' && memcmp(q.ptr + i, name, n) == 0) {
      *out = sub(q, i + n + 1, end);
      return true;
    }
    i = end + 1;
  }
  return false;
}

static Response list_notes(app_string_t q) {
  app_string_t prefix = { 0 }, view = { 0 };
  query(q, "prefix", &prefix);
  bool table = query(q, "view", &view) && eq(view, "table");
  multi_store_cursor_t c = multi_store_scan(prefix);
  multi_store_borrow_cursor_t bc = multi_store_borrow_cursor(c);
  size_t n = multi_store_cursor_remaining(bc);
  Field *f = calloc(n ? n : 1, sizeof *f);
  app_option_tuple2_string_string_t *got = calloc(n ? n : 1, sizeof *got);
  if (!f || !got) abort();
  for (size_t i = 0; i < n; i++) {
    got[i] = multi_store_cursor_next(bc);
    if (!got[i].is_some) abort(); /* the store said n remain */
    f[i] = (Field){ got[i].val.f0, got[i].val.f1 };
  }
  multi_store_cursor_drop(c);
  app_list_multi_format_field_t list = { f, n };
  Response r = table ? (Response){ 200, S("text/plain; charset=utf-8"),
                                   multi_format_table(list) }
                     : json(200, f, n);
  for (size_t i = 0; i < n; i++)
    app_option_tuple2_string_string_free(&got[i]);
  free(got);
  free(f);
  return r;
}

static Response one_note(app_string_t method, app_string_t key,
                         app_string_t body) {
  if (key.len == 0 || memchr(key.ptr, '/', key.len))
    return message(404, "error", "no such note", key);
  if (eq(method, "GET")) {
    app_option_string_t v = multi_store_get(key);
    if (!v.is_some) return message(404, "error", "no note", key);
    Field f[] = { { S("key"), key }, { S("value"), v.val } };
    Response r = json(200, f, 2);
    app_option_string_free(&v);
    return r;
  }
  if (eq(method, "PUT")) {
    bool created = multi_store_set(key, body);
    Field f[] = { { S("key"), key },
                  { S("status"), S(created ? "created" : "replaced") } };
    return json(created ? 201 : 200, f, 2);
  }
  if (eq(method, "DELETE")) {
    if (!multi_store_remove(key)) return message(404, "error", "no note", key);
    Field f[] = { { S("key"), key }, { S("status"), S("removed") } };
    return json(200, f, 2);
  }
  return message(405, "error", "method not allowed on a note", key);
}

Response exports_multi_api_handle(app_string_t method, app_string_t path,
                                  app_string_t body) {
  size_t qat = 0;
  while (qat < path.len && path.ptr[qat] != '?')
    qat++;
  app_string_t p = sub(path, 0, qat);
  app_string_t q =
      qat < path.len ? sub(path, qat + 1, path.len) : (app_string_t){ 0 };
  Response r;
  if (eq(p, "/notes") || eq(p, "/notes/"))
    r = eq(method, "GET")
            ? list_notes(q)
            : message(405, "error", "method not allowed on", S("/notes"));
  else if (p.len > 7 && memcmp(p.ptr, "/notes/", 7) == 0)
    r = one_note(method, sub(p, 7, p.len), body);
  else
    r = message(404, "error", "no route for", p);
  app_string_free(&method);
  app_string_free(&path);
  app_string_free(&body);
  return r;
}
