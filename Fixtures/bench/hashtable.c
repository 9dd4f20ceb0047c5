/* hashtable: an open-addressing hash table that grows from 8 slots (Kiln benchmark corpus, a WASI command).
 *
 *   hashtable [N]      operations per phase (default 4000000)
 *
 * Measures: random access into a table far larger than the cache, and memory growth: the table is a
 * malloc'd array of 16-byte slots (u64 key, u64 value) that doubles whenever it is 70% full, each time
 * rehashing into a new, larger allocation. At the default N it ends at 4M slots (64 MiB), and wasm linear
 * memory grows by memory.grow from 257 pages to about 4360 (270 MiB: the freed tables are too small to
 * reuse, and wasi-libc's malloc takes more than it is asked). Linear probing; deletion shifts the
 * following slots back, so there are no tombstones. Keys are a 64-bit mix of integers drawn from a
 * fixed seed, so some repeat.
 *
 * Phases: N upserts of keys from [0, N) (adding to the value when the key is present); N lookups of keys
 * from [0, 2N); N/2 deletions of keys from [0, N); N lookups again. Prints what each phase found, the
 * final size and capacity, and a 64-bit checksum over the table's contents in slot order.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  uint64_t key; /* 0: empty */
  uint64_t value;
} slot;

typedef struct {
  slot* slots;
  uint32_t capacity; /* a power of two */
  uint32_t count;
  uint32_t grows;
} table;

static uint64_t rng_state = 0xBB67AE8584CAA73Bull;

static uint64_t next_random(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

static uint64_t key_of(uint64_t x) { /* splitmix64's finalizer: a bijection, so distinct x give distinct keys */
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  x ^= x >> 31;
  return x == 0 ? 1 : x;
}

static inline uint32_t home(const table* t, uint64_t key) {
  return (uint32_t)((key * 0xFF51AFD7ED558CCDull) >> 32) & (t->capacity - 1);
}

static void table_init(table* t, uint32_t capacity) {
  t->slots = calloc(capacity, sizeof(slot));
  if (t->slots == NULL) {
    fprintf(stderr, "hashtable: out of memory at capacity %" PRIu32 "\n", capacity);
    exit(1);
  }
  t->capacity = capacity;
  t->count = 0;
}

static void grow(table* t) {
  slot* old = t->slots;
  uint32_t old_capacity = t->capacity;
  uint32_t grows = t->grows + 1;
  table_init(t, old_capacity * 2);
  t->grows = grows;
  for (uint32_t i = 0; i < old_capacity; i++) {
    if (old[i].key == 0) continue;
    uint32_t j = home(t, old[i].key);
    while (t->slots[j].key != 0) j = (j + 1) & (t->capacity - 1);
    t->slots[j] = old[i];
    t->count++;
  }
  free(old);
}

static void upsert(table* t, uint64_t key, uint64_t value) {
  if ((uint64_t)(t->count + 1) * 10 > (uint64_t)t->capacity * 7) grow(t);
  uint32_t j = home(t, key);
  while (t->slots[j].key != 0) {
    if (t->slots[j].key == key) {
      t->slots[j].value += value;
      return;
    }
    j = (j + 1) & (t->capacity - 1);
  }
  t->slots[j].key = key;
  t->slots[j].value = value;
  t->count++;
}

static slot* find(table* t, uint64_t key) {
  uint32_t j = home(t, key);
  while (t->slots[j].key != 0) {
    if (t->slots[j].key == key) return &t->slots[j];
    j = (j + 1) & (t->capacity - 1);
  }
  return NULL;
}

static int erase(table* t, uint64_t key) {
  slot* s = find(t, key);
  if (s == NULL) return 0;
  uint32_t mask = t->capacity - 1;
  uint32_t hole = (uint32_t)(s - t->slots);
  for (uint32_t j = (hole + 1) & mask; t->slots[j].key != 0; j = (j + 1) & mask) {
    uint32_t h = home(t, t->slots[j].key);
    /* Move slot j back into the hole unless its home lies cyclically in (hole, j]. */
    if (((j - h) & mask) >= ((j - hole) & mask)) {
      t->slots[hole] = t->slots[j];
      hole = j;
    }
  }
  t->slots[hole].key = 0;
  t->slots[hole].value = 0;
  t->count--;
  return 1;
}

int main(int argc, char** argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 4000000;
  if (n < 1 || n > 50000000) {
    fprintf(stderr, "usage: hashtable [N], 1 <= N <= 50000000\n");
    return 2;
  }
  table t;
  table_init(&t, 8);
  t.grows = 0;

  for (long i = 0; i < n; i++) upsert(&t, key_of(next_random() % (uint64_t)n), (uint64_t)i + 1);
  uint32_t distinct = t.count, capacity = t.capacity;

  uint64_t hits1 = 0, sum1 = 0;
  for (long i = 0; i < n; i++) {
    slot* s = find(&t, key_of(next_random() % (2 * (uint64_t)n)));
    if (s != NULL) hits1++, sum1 += s->value;
  }
  uint64_t erased = 0;
  for (long i = 0; i < n / 2; i++) erased += (uint64_t)erase(&t, key_of(next_random() % (uint64_t)n));
  uint64_t hits2 = 0, sum2 = 0;
  for (long i = 0; i < n; i++) {
    slot* s = find(&t, key_of(next_random() % (2 * (uint64_t)n)));
    if (s != NULL) hits2++, sum2 += s->value;
  }

  uint64_t checksum = 0;
  for (uint32_t i = 0; i < t.capacity; i++) {
    checksum = (checksum ^ t.slots[i].key) * 0x100000001B3ull;
    checksum = (checksum ^ t.slots[i].value) * 0x100000001B3ull;
  }
  printf("hashtable: N=%ld, %" PRIu32 " distinct keys, capacity %" PRIu32 " (%" PRIu32 " grows, %" PRIu64 " MiB)\n", n,
         distinct, capacity, t.grows, (uint64_t)capacity * sizeof(slot) >> 20);
  printf("lookups: %" PRIu64 " hits (sum %" PRIu64 "); erased %" PRIu64 "\n", hits1, sum1, erased);
  printf("lookups: %" PRIu64 " hits (sum %" PRIu64 ")\n", hits2, sum2);
  printf("final count %" PRIu32 "\n", t.count);
  printf("checksum: %016" PRIx64 "\n", checksum);
  free(t.slots);
  return 0;
}
