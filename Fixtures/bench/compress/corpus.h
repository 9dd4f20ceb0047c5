/* corpus.h: what the compression benchmarks share (Kiln benchmark corpus): the argument parser, the
 * deterministic text-like input, the per-pass change to it, and the checksum.
 *
 * The input looks like prose mixed with records: sentences of words from a 2048-word vocabulary (random
 * letters, 1..12 of them, picked with a skewed distribution so short indices are common), sometimes
 * capitalized, with numbers (1..7 digits, sometimes a decimal fraction), commas, periods, parentheses and
 * line breaks; now and then a line such as `id=004211 key=vhxq value=-81.07`; and every 48..80 KiB a run of
 * 256..1279 random bytes, which does not compress. Its own PRNG (xorshift64*) with a fixed seed: no clocks,
 * no random_get, no files.
 */
#ifndef KILN_BENCH_CORPUS_H
#define KILN_BENCH_CORPUS_H

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t corpus_rng = 0x9E3779B97F4A7C15ull;

static uint64_t corpus_random(void) { /* xorshift64* */
  corpus_rng ^= corpus_rng >> 12;
  corpus_rng ^= corpus_rng << 25;
  corpus_rng ^= corpus_rng >> 27;
  return corpus_rng * 0x2545F4914F6CDD1Dull;
}

/* Parses argv[index] (when present) as a decimal integer in [low, high]; returns 0 if it is not one. */
static int corpus_argument(int argc, char** argv, int index, long low, long high, long* value) {
  if (argc <= index) return 1;
  char* end;
  errno = 0;
  long v = strtol(argv[index], &end, 10);
  if (errno != 0 || end == argv[index] || *end != 0 || v < low || v > high) return 0;
  *value = v;
  return 1;
}

typedef struct {
  uint8_t* data;
  size_t size, used;
} corpus_out;

static void corpus_put(corpus_out* o, const char* text, size_t length) {
  for (size_t i = 0; i < length && o->used < o->size; i++) o->data[o->used++] = (uint8_t)text[i];
}

static void corpus_number(corpus_out* o, uint64_t r) {
  char text[32];
  int digits = 1 + (int)(r % 7);
  uint64_t value = (r >> 8) % 10000000u;
  static const uint32_t limit[8] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
  value %= limit[digits];
  int length = (r >> 40) % 4 == 0 ? snprintf(text, sizeof text, "%" PRIu64 ".%02u", value, (unsigned)((r >> 32) % 100))
                                  : snprintf(text, sizeof text, "%" PRIu64, value);
  corpus_put(o, text, (size_t)length);
}

/* Fills data[0..size) with the input described above (the same bytes on every platform). */
static void corpus_make(uint8_t* data, size_t size) {
  static char words[2048][13];
  static uint8_t lengths[2048];
  for (int w = 0; w < 2048; w++) {
    int length = 1 + (int)(corpus_random() % 12);
    for (int i = 0; i < length; i++) words[w][i] = (char)('a' + corpus_random() % 26);
    words[w][length] = 0;
    lengths[w] = (uint8_t)length;
  }
  corpus_out o = {data, size, 0};
  size_t next_noise = 48 * 1024;
  int in_sentence = 0, in_line = 0;
  while (o.used < o.size) {
    if (o.used >= next_noise) {
      size_t run = 256 + corpus_random() % 1024;
      for (size_t i = 0; i < run && o.used < o.size; i++) o.data[o.used++] = (uint8_t)corpus_random();
      next_noise = o.used + 48 * 1024 + corpus_random() % (32 * 1024);
      continue;
    }
    uint64_t r = corpus_random();
    if (r % 97 == 0) { /* a record line */
      char text[96];
      uint64_t s = corpus_random();
      int length = snprintf(text, sizeof text, "\nid=%06u key=%s value=%s%u.%02u\n", (unsigned)(s % 1000000),
                            words[(s >> 20) % 2048], (s >> 31) & 1 ? "-" : "", (unsigned)((s >> 32) % 1000),
                            (unsigned)((s >> 48) % 100));
      corpus_put(&o, text, (size_t)length);
      in_sentence = in_line = 0;
      continue;
    }
    if ((r >> 8) % 23 == 0) {
      corpus_number(&o, corpus_random());
    } else {
      uint32_t index = (uint32_t)(((r >> 16) & 2047) * ((r >> 27) & 2047) >> 11); /* small indices are common */
      const char* word = words[index];
      size_t length = lengths[index];
      if (in_sentence == 0 && o.used < o.size) {
        o.data[o.used++] = (uint8_t)(word[0] - 'a' + 'A');
        word++;
        length--;
      }
      corpus_put(&o, word, length);
    }
    in_sentence++;
    in_line++;
    if (in_sentence > 5 + (int)((r >> 40) % 14)) {
      corpus_put(&o, (r >> 56) % 9 == 0 ? "!" : ".", 1);
      in_sentence = 0;
      if (in_line > 12) {
        corpus_put(&o, (r >> 60) % 3 == 0 ? "\n\n" : "\n", (r >> 60) % 3 == 0 ? 2 : 1);
        in_line = 0;
      } else {
        corpus_put(&o, " ", 1);
      }
    } else if ((r >> 48) % 11 == 0) {
      corpus_put(&o, ", ", 2);
    } else if ((r >> 48) % 53 == 1) {
      corpus_put(&o, " (", 2);
    } else if ((r >> 48) % 53 == 2) {
      corpus_put(&o, ") ", 2);
    } else {
      corpus_put(&o, " ", 1);
    }
  }
}

/* Before pass p > 0: changes a few bytes, so no pass repeats another's work. */
static void corpus_perturb(uint8_t* data, size_t size, long pass) {
  for (int i = 0; i < 4; i++) {
    uint64_t r = corpus_random();
    data[r % size] = (uint8_t)('a' + (r >> 32) % 26 + pass % 2);
  }
}

static uint64_t fnv1a(uint64_t hash, const uint8_t* data, size_t size) {
  for (size_t i = 0; i < size; i++) hash = (hash ^ data[i]) * 0x100000001B3ull;
  return hash;
}

#define FNV_OFFSET 0xCBF29CE484222325ull

#endif
