/* yyjson_bench: JSON parse, walk, mutate and serialize with yyjson (Kiln benchmark corpus, real programs;
 * a WASI command built with yyjson.c from PyPI `yyjson` 4.0.6, which bundles yyjson 0.10.0).
 *
 *   yyjson_bench [ITEMS [ROUNDS]]    default 4000 items, 80 rounds
 *
 * Generates a deterministic JSON document in memory (an object holding ITEMS records: nested objects and
 * arrays, strings with escapes and non-ASCII, integers, doubles in plain and exponent form, booleans,
 * nulls), then ROUNDS times: parses the current text (yyjson_read), walks the tree (sums the integers,
 * hashes every string and the bits of every double), copies it into a mutable document, mutates it
 * (renumbers, rescales doubles, rotates arrays, replaces and removes keys) and serializes it
 * (yyjson_mut_write: minified, pretty or with escaped Unicode, by round). The next round parses that output.
 * Doubles are only printed by yyjson's own shortest round-trip formatting, which is integer arithmetic, so
 * the text is the same on every platform. Prints sizes, walk totals and a 64-bit FNV-1a checksum over every
 * serialized text.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "yyjson.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t next_random(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

static uint64_t fnv(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001B3ull;
  return h;
}

typedef struct { char *data; size_t len, cap; } Buffer;

static void put(Buffer *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    while (b->len + n + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 4096;
    b->data = realloc(b->data, b->cap);
    if (!b->data) { fputs("yyjson_bench: out of memory\n", stderr); exit(1); }
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}

static void puts_(Buffer *b, const char *s) { put(b, s, strlen(s)); }

/* FORMAT has one or two %lld */
static void putf(Buffer *b, const char *format, long long a, long long c) {
  char tmp[64];
  int n = snprintf(tmp, sizeof tmp, format, a, c);
  put(b, tmp, (size_t)n);
}

static const char *const words[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
  "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon"};
/* JSON string pieces: plain, escaped quote/backslash/control, \u escapes, raw UTF-8 (é, 日本, emoji) */
static const char *const pieces[] = {"word", "\\\"quoted\\\"", "back\\\\slash", "tab\\there", "line\\nbreak",
  "\\u00e9t\\u00e9", "caf\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac", "\xf0\x9f\x98\x80", "\\ud83d\\ude00", "\\/path"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A decimal double as text: mantissa and exponent chosen from integers, so the input text is exact. */
static void put_double(Buffer *b) {
  uint64_t r = next_random();
  long long whole = (long long)(r % 2000000) - 1000000;
  long long frac = (long long)((r >> 24) % 1000000);
  switch ((r >> 50) % 4) {
  case 0: putf(b, "%lld.%06lld", whole, frac); break;
  case 1: putf(b, "%lld.%06llde-7", whole % 1000, frac); break;
  case 2: putf(b, "%lld.%06lldE+12", whole % 10, frac); break;
  default: putf(b, "%lld.%lld", whole / 1000, frac % 100); break;
  }
}

static void put_string(Buffer *b, int pieces_count) {
  puts_(b, "\"");
  for (int i = 0; i < pieces_count; i++) {
    if (i) puts_(b, " ");
    uint64_t r = next_random();
    puts_(b, (r & 3) ? words[(r >> 8) % COUNT(words)] : pieces[(r >> 8) % COUNT(pieces)]);
  }
  puts_(b, "\"");
}

static void generate(Buffer *b, int items) {
  puts_(b, "{\"format\":\"kiln-bench\",\"version\":3,\"items\":[");
  for (int i = 0; i < items; i++) {
    uint64_t r = next_random();
    if (i) puts_(b, ",");
    putf(b, "{\"id\":%lld,\"owner\":%lld,\"name\":", i, (long long)(r % 100000) - 50000);
    put_string(b, 1 + (int)(r >> 20) % 6);
    puts_(b, ",\"score\":");
    put_double(b);
    puts_(b, ",\"pos\":{\"x\":");
    put_double(b);
    puts_(b, ",\"y\":");
    put_double(b);
    putf(b, ",\"z\":%lld},\"active\":", (long long)((r >> 30) % 1000), 0);
    puts_(b, (r >> 40) & 1 ? "true" : "false");
    puts_(b, ",\"tags\":[");
    int tags = (int)((r >> 44) % 7);
    for (int t = 0; t < tags; t++) {
      if (t) puts_(b, ",");
      put_string(b, 1);
    }
    puts_(b, "],\"matrix\":[");
    int rows = 1 + (int)((r >> 48) % 3);
    for (int m = 0; m < rows; m++) {
      if (m) puts_(b, ",");
      putf(b, "[%lld,%lld,", (long long)(next_random() % 1000), (long long)(next_random() % 1000) - 500);
      put_double(b);
      puts_(b, "]");
    }
    puts_(b, "]");
    if ((r >> 52) % 5 == 0) puts_(b, ",\"note\":null");
    if ((r >> 56) % 3 == 0) {
      puts_(b, ",\"history\":[");
      for (int h = 0; h < 3; h++) {
        if (h) puts_(b, ",");
        putf(b, "{\"t\":%lld,\"v\":", (long long)(next_random() % 86400), 0);
        put_double(b);
        puts_(b, "}");
      }
      puts_(b, "]");
    }
    puts_(b, "}");
  }
  puts_(b, "],\"meta\":{\"generator\":\"yyjson_bench\",\"escapes\":\"\\b\\f\\n\\r\\t\\\"\\\\\\u0001\",\"empty\":{},\"none\":[]}}");
}

typedef struct { uint64_t ints, strings, doubles, nodes; } Totals;

static void walk(yyjson_val *v, Totals *t) {
  t->nodes++;
  switch (yyjson_get_type(v)) {
  case YYJSON_TYPE_OBJ: {
    yyjson_obj_iter it = yyjson_obj_iter_with(v);
    yyjson_val *key;
    while ((key = yyjson_obj_iter_next(&it))) {
      t->strings = fnv(t->strings, yyjson_get_str(key), yyjson_get_len(key));
      walk(yyjson_obj_iter_get_val(key), t);
    }
    break;
  }
  case YYJSON_TYPE_ARR: {
    yyjson_arr_iter it = yyjson_arr_iter_with(v);
    yyjson_val *item;
    while ((item = yyjson_arr_iter_next(&it))) walk(item, t);
    break;
  }
  case YYJSON_TYPE_STR: t->strings = fnv(t->strings, yyjson_get_str(v), yyjson_get_len(v)); break;
  case YYJSON_TYPE_NUM:
    if (yyjson_is_real(v)) {
      double d = yyjson_get_real(v);
      t->doubles = fnv(t->doubles, &d, sizeof d);
    } else {
      t->ints += (uint64_t)yyjson_get_sint(v);
    }
    break;
  case YYJSON_TYPE_BOOL: t->ints += yyjson_get_bool(v) ? 3 : 5; break;
  default: t->ints += 7; break;
  }
}

/* Round r's edits: every item is renumbered, its score rescaled, its tags rotated; some lose their note
   or history, some gain a rank, and the metadata records the round. */
static void mutate(yyjson_mut_doc *doc, int round) {
  yyjson_mut_val *root = yyjson_mut_doc_get_root(doc);
  yyjson_mut_val *items = yyjson_mut_obj_get(root, "items");
  size_t index, max;
  yyjson_mut_val *item;
  yyjson_mut_arr_foreach(items, index, max, item) {
    yyjson_mut_val *id = yyjson_mut_obj_get(item, "id");
    yyjson_mut_set_sint(id, yyjson_mut_get_sint(id) + (int64_t)index % 7 - 3);
    yyjson_mut_val *score = yyjson_mut_obj_get(item, "score");
    if (score && yyjson_mut_is_real(score)) {
      double d = yyjson_mut_get_real(score);
      yyjson_mut_set_real(score, (round & 1) ? d * 1.25 : d / 1.25 + 0.001 * (double)(index % 10));
    }
    yyjson_mut_val *pos = yyjson_mut_obj_get(item, "pos");
    yyjson_mut_val *z = yyjson_mut_obj_get(pos, "z");
    if (z && yyjson_mut_is_int(z)) yyjson_mut_set_sint(z, (yyjson_mut_get_sint(z) * 31 + round) % 100003);
    yyjson_mut_val *tags = yyjson_mut_obj_get(item, "tags");
    if (yyjson_mut_arr_size(tags) > 1) yyjson_mut_arr_append(tags, yyjson_mut_arr_remove_first(tags));
    if ((index + (size_t)round) % 11 == 0) yyjson_mut_obj_remove_key(item, "note");
    if ((index + (size_t)round) % 13 == 0) yyjson_mut_obj_remove_key(item, "history");
    if ((index + (size_t)round) % 5 == 0) {
      yyjson_mut_obj_put(item, yyjson_mut_str(doc, "rank"), yyjson_mut_uint(doc, (uint64_t)(index * 7 + (size_t)round)));
    }
    if ((index + (size_t)round) % 17 == 0) {
      yyjson_mut_obj_put(item, yyjson_mut_str(doc, "note"), yyjson_mut_strcpy(doc, "re-\"noted\"\t\xc3\xa9"));
    }
  }
  yyjson_mut_val *meta = yyjson_mut_obj_get(root, "meta");
  yyjson_mut_obj_put(meta, yyjson_mut_str(doc, "round"), yyjson_mut_sint(doc, round));
  yyjson_mut_obj_put(meta, yyjson_mut_str(doc, "ratio"), yyjson_mut_real(doc, (double)round / 3.0));
}

static int parse_count(const char *s, long min, long max, long *out) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*s == 0 || *end != 0 || v < min || v > max) return 0;
  *out = v;
  return 1;
}

int main(int argc, char **argv) {
  long items = 4000, rounds = 80;
  if (argc > 3 || (argc > 1 && !parse_count(argv[1], 1, 10000000, &items)) ||
      (argc > 2 && !parse_count(argv[2], 1, 1000000, &rounds))) {
    fprintf(stderr, "usage: yyjson_bench [ITEMS [ROUNDS]]  (default 4000 80)\n");
    return 2;
  }
  Buffer text = {0};
  generate(&text, (int)items);
  printf("yyjson %s: %ld items, %ld rounds, %zu bytes generated\n", YYJSON_VERSION_STRING, items, rounds, text.len);

  uint64_t checksum = 0xCBF29CE484222325ull;
  Totals totals = {0, 0xCBF29CE484222325ull, 0xCBF29CE484222325ull, 0};
  char *current = text.data;
  size_t current_len = text.len, total_out = 0;
  for (long round = 0; round < rounds; round++) {
    yyjson_read_err err;
    yyjson_doc *doc = yyjson_read_opts(current, current_len, 0, NULL, &err);
    if (!doc) {
      fprintf(stderr, "yyjson_bench: round %ld: parse error %u at %zu: %s\n", round, err.code, err.pos, err.msg);
      return 1;
    }
    walk(yyjson_doc_get_root(doc), &totals);
    yyjson_mut_doc *mdoc = yyjson_doc_mut_copy(doc, NULL);
    yyjson_doc_free(doc);
    mutate(mdoc, (int)round);
    yyjson_write_flag flags = round % 4 == 1 ? YYJSON_WRITE_PRETTY
                            : round % 4 == 3 ? YYJSON_WRITE_ESCAPE_UNICODE | YYJSON_WRITE_ESCAPE_SLASHES
                                             : YYJSON_WRITE_NOFLAG;
    size_t out_len;
    yyjson_write_err werr;
    char *out = yyjson_mut_write_opts(mdoc, flags, NULL, &out_len, &werr);
    yyjson_mut_doc_free(mdoc);
    if (!out) {
      fprintf(stderr, "yyjson_bench: round %ld: write error %u: %s\n", round, werr.code, werr.msg);
      return 1;
    }
    checksum = fnv(checksum, out, out_len);
    total_out += out_len;
    if (current != text.data) free(current);
    current = out;
    current_len = out_len;
  }
  printf("serialized: %zu bytes in all, last %zu bytes\n", total_out, current_len);
  printf("last text starts: %.72s\n", current);
  printf("walk: %" PRIu64 " nodes, int sum %016" PRIx64 ", strings %016" PRIx64 ", doubles %016" PRIx64 "\n",
         totals.nodes, totals.ints, totals.strings, totals.doubles);
  printf("checksum: %016" PRIx64 "\n", checksum ^ totals.strings ^ (totals.doubles * 3));
  if (current != text.data) free(current);
  free(text.data);
  return 0;
}
