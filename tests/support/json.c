/* SPDX-License-Identifier: Apache-2.0 */
/* JSON reader of json.h: recursive descent with a depth bound. */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

typedef struct P {
  const char *start, *s, *end;
  char *err;
  size_t err_size;
  int depth;
} P;

static bool fail(P *p, const char *why) {
  if (p->err_size && !p->err[0]) {
    size_t line = 1, column = 1;
    for (const char *q = p->start; q < p->s; q++) {
      if (*q == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    snprintf(p->err, p->err_size, "JSON error at line %zu, column %zu: %s",
             line, column, why);
  }
  return false;
}

static void ws(P *p) {
  while (p->s < p->end &&
         (*p->s == ' ' || *p->s == '\n' || *p->s == '\r' || *p->s == '\t')) {
    p->s++;
  }
}

static bool value(P *p, JsonValue *out);
static void free_inner(JsonValue *v);

static int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static bool hex4(P *p, unsigned *out) {
  if (p->end - p->s < 4) return fail(p, "short \\u escape");
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    int h = hex(p->s[i]);
    if (h < 0) return fail(p, "bad \\u escape");
    v = v * 16 + (unsigned)h;
  }
  p->s += 4;
  *out = v;
  return true;
}

/* Completes a \\u escape `*cp`: a high surrogate must be followed by an
 * escaped low one (together one scalar value); a lone surrogate is an
 * error, since it encodes no character. */
static bool surrogates(P *p, unsigned *cp) {
  if (*cp >= 0xdc00 && *cp < 0xe000) return fail(p, "lone low surrogate");
  if (*cp < 0xd800 || *cp >= 0xdc00) return true;
  if (p->end - p->s < 6 || p->s[0] != '\\' || p->s[1] != 'u') {
    return fail(p, "unpaired high surrogate");
  }
  p->s += 2;
  unsigned lo;
  if (!hex4(p, &lo)) return false;
  if (lo < 0xdc00 || lo >= 0xe000) return fail(p, "unpaired high surrogate");
  *cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
  return true;
}

static size_t put_utf8(char *o, unsigned cp) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xc0 | cp >> 6);
    o[1] = (char)(0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xe0 | cp >> 12);
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
  }
  o[0] = (char)(0xf0 | cp >> 18);
  o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
  o[3] = (char)(0x80 | (cp & 0x3f));
  return 4;
}

static bool string(P *p, char **out, size_t *out_len) {
  p->s++; /* opening quote */
  const char *start = p->s;
  /* decoded text is never longer than the source text up to the closing
   * quote (escapes shrink; \u of up to 4 UTF-8 bytes takes 6 bytes) */
  size_t cap = 16;
  for (const char *q = start; q < p->end && *q != '"'; q++, cap++) {
    if (*q == '\\' && q + 1 < p->end) {
      q++;
      cap++;
    }
  }
  char *buf = malloc(cap + 8);
  if (!buf) return fail(p, "out of memory");
  size_t n = 0;
  while (p->s < p->end && *p->s != '"') {
    char c = *p->s;
    if ((unsigned char)c < 0x20) {
      free(buf);
      return fail(p, "control character in string");
    }
    if ((unsigned char)c >= 0x80) {
      uint32_t scalar;
      size_t k = wg_utf8_decode((const uint8_t *)p->s, (size_t)(p->end - p->s),
                                &scalar);
      if (k == 0) {
        free(buf);
        return fail(p, "malformed UTF-8");
      }
      memcpy(buf + n, p->s, k);
      n += k;
      p->s += k;
      continue;
    }
    p->s++;
    if (c != '\\') {
      buf[n++] = c;
      continue;
    }
    if (p->s >= p->end) break;
    char e = *p->s++;
    switch (e) {
      case '"':
        buf[n++] = '"';
        break;
      case '\\':
        buf[n++] = '\\';
        break;
      case '/':
        buf[n++] = '/';
        break;
      case 'b':
        buf[n++] = '\b';
        break;
      case 'f':
        buf[n++] = '\f';
        break;
      case 'n':
        buf[n++] = '\n';
        break;
      case 'r':
        buf[n++] = '\r';
        break;
      case 't':
        buf[n++] = '\t';
        break;
      case 'u': {
        unsigned cp;
        if (!hex4(p, &cp) || !surrogates(p, &cp)) {
          free(buf);
          return false;
        }
        n += put_utf8(buf + n, cp);
        break;
      }
      default:
        free(buf);
        return fail(p, "bad escape");
    }
  }
  if (p->s >= p->end) {
    free(buf);
    return fail(p, "unterminated string");
  }
  p->s++;
  buf[n] = '\0';
  *out = buf;
  *out_len = n;
  return true;
}

static bool push(P *p, JsonValue *v, JsonValue *item, char *key, size_t *cap) {
  if (v->count == *cap) {
    size_t c = *cap ? *cap * 2 : 4;
    JsonValue *items = realloc(v->items, c * sizeof *items);
    if (!items) return fail(p, "out of memory");
    v->items = items;
    if (v->kind == JSON_OBJECT) {
      char **keys = realloc(v->keys, c * sizeof *keys);
      if (!keys) return fail(p, "out of memory");
      v->keys = keys;
    }
    *cap = c;
  }
  v->items[v->count] = *item;
  if (v->kind == JSON_OBJECT) v->keys[v->count] = key;
  v->count++;
  return true;
}

static bool composite(P *p, JsonValue *out, bool object) {
  if (++p->depth > JSON_MAX_DEPTH) return fail(p, "nesting too deep");
  out->kind = object ? JSON_OBJECT : JSON_ARRAY;
  p->s++;
  size_t cap = 0;
  ws(p);
  char close = object ? '}' : ']';
  if (p->s < p->end && *p->s == close) {
    p->s++;
    p->depth--;
    return true;
  }
  for (;;) {
    char *key = NULL;
    size_t key_len;
    ws(p);
    if (object) {
      if (p->s >= p->end || *p->s != '"') return fail(p, "expected a key");
      if (!string(p, &key, &key_len)) return false;
      ws(p);
      if (p->s >= p->end || *p->s != ':') {
        free(key);
        return fail(p, "expected ':'");
      }
      p->s++;
    }
    JsonValue item = { 0 };
    if (!value(p, &item) || !push(p, out, &item, key, &cap)) {
      free(key);
      free_inner(&item);
      return false;
    }
    ws(p);
    if (p->s < p->end && *p->s == ',') {
      p->s++;
      continue;
    }
    if (p->s < p->end && *p->s == close) {
      p->s++;
      p->depth--;
      return true;
    }
    return fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
  }
}

static bool literal(P *p, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(p->end - p->s) < n || memcmp(p->s, word, n) != 0) {
    return fail(p, "unexpected token");
  }
  p->s += n;
  return true;
}

static bool digit(const P *p) {
  return p->s < p->end && *p->s >= '0' && *p->s <= '9';
}

/* RFC 8259 number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static bool number(P *p) {
  if (*p->s == '-') p->s++;
  if (!digit(p)) return fail(p, "expected a digit");
  if (*p->s++ != '0') {
    while (digit(p))
      p->s++;
  } else if (digit(p)) {
    return fail(p, "leading zero in number");
  }
  if (p->s < p->end && *p->s == '.') {
    p->s++;
    if (!digit(p)) return fail(p, "expected a digit after '.'");
    while (digit(p))
      p->s++;
  }
  if (p->s < p->end && (*p->s == 'e' || *p->s == 'E')) {
    p->s++;
    if (p->s < p->end && (*p->s == '+' || *p->s == '-')) p->s++;
    if (!digit(p)) return fail(p, "expected a digit in exponent");
    while (digit(p))
      p->s++;
  }
  return true;
}

static bool value(P *p, JsonValue *out) {
  ws(p);
  if (p->s >= p->end) return fail(p, "unexpected end");
  char c = *p->s;
  if (c == '{') return composite(p, out, true);
  if (c == '[') return composite(p, out, false);
  if (c == '"') {
    out->kind = JSON_STRING;
    return string(p, &out->text, &out->len);
  }
  if (c == 't' || c == 'f') {
    out->kind = JSON_BOOL;
    out->boolean = c == 't';
    return literal(p, c == 't' ? "true" : "false");
  }
  if (c == 'n') {
    out->kind = JSON_NULL;
    return literal(p, "null");
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    const char *start = p->s;
    if (!number(p)) return false;
    out->kind = JSON_NUMBER;
    out->len = (size_t)(p->s - start);
    out->text = malloc(out->len + 1);
    if (!out->text) return fail(p, "out of memory");
    memcpy(out->text, start, out->len);
    out->text[out->len] = '\0';
    return true;
  }
  return fail(p, "unexpected character");
}

JsonValue *json_parse(const char *text, size_t len, char *err,
                      size_t err_size) {
  if (err_size) err[0] = '\0';
  P p = { text, text, text + len, err, err_size, 0 };
  JsonValue *v = calloc(1, sizeof *v);
  if (!v) return NULL;
  if (!value(&p, v)) {
    json_free(v);
    return NULL;
  }
  ws(&p);
  if (p.s != p.end) {
    fail(&p, "trailing characters");
    json_free(v);
    return NULL;
  }
  return v;
}

static void free_inner(JsonValue *v) {
  for (size_t i = 0; i < v->count; i++) {
    free_inner(&v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->text);
  memset(v, 0, sizeof *v);
}

void json_free(JsonValue *value) {
  if (value) free_inner(value);
  free(value);
}

const JsonValue *json_get(const JsonValue *object, const char *key) {
  if (!object || object->kind != JSON_OBJECT) return NULL;
  for (size_t i = 0; i < object->count; i++) {
    if (strcmp(object->keys[i], key) == 0) return &object->items[i];
  }
  return NULL;
}

const char *json_get_str(const JsonValue *object, const char *key) {
  const JsonValue *v = json_get(object, key);
  return v && v->kind == JSON_STRING ? v->text : NULL;
}

static bool is_integer(const char *t) {
  return strpbrk(t, ".eE") == NULL;
}

/* Integers compare exactly by their text (the grammar makes it canonical
 * but for the sign of zero), so 64-bit values never round; other numbers
 * compare as doubles. */
static bool numbers_equal(const char *a, const char *b) {
  if (strcmp(a, b) == 0) return true;
  if (is_integer(a) && is_integer(b)) {
    if (strcmp(a, "-0") == 0) a = "0";
    if (strcmp(b, "-0") == 0) b = "0";
    return strcmp(a, b) == 0;
  }
  return strtod(a, NULL) == strtod(b, NULL);
}

bool json_equal(const JsonValue *a, const JsonValue *b) {
  if (a->kind != b->kind) return false;
  switch (a->kind) {
    case JSON_NULL:
      return true;
    case JSON_BOOL:
      return a->boolean == b->boolean;
    case JSON_NUMBER:
      return numbers_equal(a->text, b->text);
    case JSON_STRING:
      return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
    case JSON_ARRAY:
      if (a->count != b->count) return false;
      for (size_t i = 0; i < a->count; i++) {
        if (!json_equal(&a->items[i], &b->items[i])) return false;
      }
      return true;
    case JSON_OBJECT:
      if (a->count != b->count) return false;
      for (size_t i = 0; i < a->count; i++) {
        const JsonValue *other = json_get(b, a->keys[i]);
        if (!other || !json_equal(&a->items[i], other)) return false;
      }
      return true;
  }
  return false;
}
