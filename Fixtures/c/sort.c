// A freestanding module (no WASI): sorts pseudo-random keys with a comparator chosen through a
// function pointer (call_indirect), and checksums the result. `make run` validates and describes it;
// it has memory, a table, globals, data and several exports of different signatures.
typedef unsigned int u32;
typedef unsigned long long u64;

#define MAX_KEYS 65536
static u32 keys[MAX_KEYS];
static u64 seed_state = 0x9E3779B97F4A7C15ull;
static const char label[] = "kiln sort fixture";

static u32 next_random(void) {
    seed_state ^= seed_state << 13;
    seed_state ^= seed_state >> 7;
    seed_state ^= seed_state << 17;
    return (u32)(seed_state >> 16);
}

static int ascending(u32 a, u32 b) { return a < b ? -1 : a > b; }
static int descending(u32 a, u32 b) { return a > b ? -1 : a < b; }
static int by_low_byte(u32 a, u32 b) { return (int)(a & 0xff) - (int)(b & 0xff); }

typedef int (*compare_fn)(u32, u32);
static compare_fn comparators[] = {ascending, descending, by_low_byte};

static void insertion_sort(u32* v, int n, compare_fn cmp) {
    for (int i = 1; i < n; i++) {
        u32 x = v[i];
        int j = i - 1;
        while (j >= 0 && cmp(v[j], x) > 0) { v[j + 1] = v[j]; j--; }
        v[j + 1] = x;
    }
}

static void quick_sort(u32* v, int n, compare_fn cmp) {
    while (n > 16) {
        u32 pivot = v[n / 2];
        int i = 0, j = n - 1;
        while (i <= j) {
            while (cmp(v[i], pivot) < 0) i++;
            while (cmp(v[j], pivot) > 0) j--;
            if (i <= j) { u32 t = v[i]; v[i] = v[j]; v[j] = t; i++; j--; }
        }
        if (j + 1 < n - i) { quick_sort(v, j + 1, cmp); v += i; n -= i; }
        else { quick_sort(v + i, n - i, cmp); n = j + 1; }
    }
    insertion_sort(v, n, cmp);
}

__attribute__((export_name("seed"))) void seed(u64 value) { seed_state = value ? value : 1; }

__attribute__((export_name("sort_checksum"))) u32 sort_checksum(int n, int order) {
    if (n < 0 || n > MAX_KEYS || order < 0 || order > 2) return 0;
    for (int i = 0; i < n; i++) keys[i] = next_random();
    quick_sort(keys, n, comparators[order]);
    u32 h = 2166136261u;
    for (int i = 0; i < n; i++) { h ^= keys[i]; h *= 16777619u; }
    return h;
}

__attribute__((export_name("is_sorted"))) int is_sorted(int n, int order) {
    for (int i = 1; i < n; i++)
        if (comparators[order](keys[i - 1], keys[i]) > 0) return 0;
    return 1;
}

__attribute__((export_name("label_length"))) int label_length(void) {
    int n = 0;
    while (label[n]) n++;
    return n;
}

__attribute__((export_name("mean"))) double mean(int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) sum += keys[i];
    return n ? sum / n : 0.0;
}
