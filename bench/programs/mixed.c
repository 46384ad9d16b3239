/* SPDX-License-Identifier: Apache-2.0 */
/* A CoreMark-like mixed workload of our own: each iteration runs linked-list
 * work (search, reverse, merge sort), small integer matrix kernels, a
 * character-class state machine over a buffer, and folds everything into a
 * CRC-16. Branchy, pointer-chasing integer code typical of embedded C. */
#include "bench.h"

enum { ITERATIONS = 10000, LIST = 128, MAT = 16, TEXT = 512 };

typedef struct Node {
  struct Node *next;
  int32_t value;
  int32_t index;
} Node;

static Node nodes[LIST];
static int16_t ma[MAT][MAT], mb[MAT][MAT];
static int32_t mc[MAT][MAT];
static char text[TEXT];

static uint16_t crc16(uint16_t crc, uint32_t v) {
  for (int i = 0; i < 32; i++) {
    uint16_t bit = (uint16_t)((v ^ crc) & 1);
    crc >>= 1;
    if (bit) crc ^= 0xA001;
    v >>= 1;
  }
  return crc;
}

static Node *list_reverse(Node *head) {
  Node *prev = 0;
  while (head) {
    Node *next = head->next;
    head->next = prev;
    prev = head;
    head = next;
  }
  return prev;
}

static Node *list_merge_sort(Node *head, int by_value) {
  if (!head || !head->next) return head;
  Node *slow = head, *fast = head->next;
  while (fast && fast->next) {
    slow = slow->next;
    fast = fast->next->next;
  }
  Node *right = slow->next;
  slow->next = 0;
  Node *l = list_merge_sort(head, by_value);
  Node *r = list_merge_sort(right, by_value);
  Node dummy = { 0, 0, 0 }, *tail = &dummy;
  while (l && r) {
    int take_left = by_value ? l->value <= r->value : l->index <= r->index;
    if (take_left) {
      tail->next = l;
      l = l->next;
    } else {
      tail->next = r;
      r = r->next;
    }
    tail = tail->next;
  }
  tail->next = l ? l : r;
  return dummy.next;
}

static int32_t list_find(const Node *head, int32_t value) {
  for (int32_t pos = 0; head; head = head->next, pos++) {
    if (head->value == value) return pos;
  }
  return -1;
}

static uint32_t matrix_work(int16_t k) {
  for (int i = 0; i < MAT; i++) {
    for (int j = 0; j < MAT; j++) {
      int32_t sum = 0;
      for (int x = 0; x < MAT; x++)
        sum += ma[i][x] * (mb[x][j] + k);
      mc[i][j] = sum;
    }
  }
  uint32_t acc = 0;
  for (int i = 0; i < MAT; i++) {
    for (int j = 0; j < MAT; j++) {
      int32_t v = mc[i][j];
      acc += (uint32_t)(v > 0 ? v >> 2 : (-v) & 0xff) ^ (uint32_t)(i * j);
    }
  }
  return acc;
}

/* Counts numbers, floats, words and invalid tokens in `text`. */
static uint32_t state_machine(void) {
  enum { START, INT, FRAC, WORD, BAD } state = START;
  uint32_t counts[5] = { 0 };
  for (int i = 0; i < TEXT; i++) {
    char c = text[i];
    int digit = c >= '0' && c <= '9', alpha = c >= 'a' && c <= 'z';
    if (c == ' ' || c == ',') {
      if (state != START) counts[state]++;
      state = START;
      continue;
    }
    switch (state) {
      case START:
        state = digit ? INT : alpha ? WORD : BAD;
        break;
      case INT:
        state = digit ? INT : c == '.' ? FRAC : BAD;
        break;
      case FRAC:
        state = digit ? FRAC : BAD;
        break;
      case WORD:
        state = alpha || digit ? WORD : BAD;
        break;
      case BAD:
        break;
    }
  }
  return counts[INT] | counts[FRAC] << 8 | counts[WORD] << 16 |
         counts[BAD] << 24;
}

BENCH_EXPORT uint32_t run(void) {
  uint32_t seed = 521288629u;
  static const char alphabet[] = "0123456789abcdefghij.,  ";
  for (int i = 0; i < TEXT; i++) {
    text[i] = alphabet[bench_rand(&seed) % (sizeof alphabet - 1)];
  }
  for (int i = 0; i < MAT; i++) {
    for (int j = 0; j < MAT; j++) {
      ma[i][j] = (int16_t)(bench_rand(&seed) & 0xff) - 128;
      mb[i][j] = (int16_t)(bench_rand(&seed) & 0x7f);
    }
  }
  Node *head = 0;
  for (int i = LIST - 1; i >= 0; i--) {
    nodes[i].value = (int32_t)(bench_rand(&seed) & 0xffff);
    nodes[i].index = i;
    nodes[i].next = head;
    head = &nodes[i];
  }
  uint16_t crc = 0xffff;
  for (int it = 0; it < ITERATIONS; it++) {
    head = list_merge_sort(head, it & 1);
    crc = crc16(crc, (uint32_t)list_find(head, nodes[it % LIST].value));
    head = list_reverse(head);
    crc = crc16(crc, (uint32_t)head->value);
    crc = crc16(crc, matrix_work((int16_t)it));
    text[it % TEXT] = alphabet[(it * 7) % (sizeof alphabet - 1)];
    crc = crc16(crc, state_machine());
  }
  return crc;
}
