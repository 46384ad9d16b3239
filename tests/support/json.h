/* SPDX-License-Identifier: Apache-2.0 */
/* A small strict JSON reader (RFC 8259) for test drivers (wast2json command
 * files, wit-parser's expected output). Objects keep their key order (and
 * duplicate keys; json_get finds the first); numbers keep their text so
 * 64-bit integers stay exact. Strings must be well-formed UTF-8 and escaped
 * surrogates must pair up; nesting deeper than JSON_MAX_DEPTH is refused. */
#ifndef WG_TEST_JSON_H
#define WG_TEST_JSON_H

#include <stdbool.h>
#include <stddef.h>

enum { JSON_MAX_DEPTH = 512 };

typedef enum JsonKind {
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT,
} JsonKind;

typedef struct JsonValue JsonValue;
struct JsonValue {
  JsonKind kind;
  bool boolean;
  char *text; /* strings (decoded, NUL-terminated) and numbers (as written) */
  size_t len;
  JsonValue *items; /* array elements / object values */
  char **keys;      /* object keys, parallel to items */
  size_t count;
};

/* Parses `len` bytes (no NUL needed). Returns a tree the caller frees with
 * json_free(), or NULL on error with a message (line, column and reason) in
 * `err` (`err_size` bytes, may be 0). */
JsonValue *json_parse(const char *text, size_t len, char *err, size_t err_size);
/* Frees a tree from json_parse() (NULL is fine). */
void json_free(JsonValue *value);

/* The member `key` of an object, or NULL. */
const JsonValue *json_get(const JsonValue *object, const char *key);
/* The string of member `key`, or NULL when absent or not a string. */
const char *json_get_str(const JsonValue *object, const char *key);
/* Structural equality: object member order ignored; two integers (no
 * fraction or exponent) compare exactly, as written (0 == -0); other numbers
 * compare as doubles. */
bool json_equal(const JsonValue *a, const JsonValue *b);

#endif
