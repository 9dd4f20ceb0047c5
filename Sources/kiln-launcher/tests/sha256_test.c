/* The launcher's SHA-256: FIPS 180-4's examples through both paths, and the SHA-instruction path against
 * the portable one on every length across several blocks, fed in random pieces. A wrong digest would make
 * every cached run miss (or, worse, accept what it should not), so this runs in make test-runtime. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static int passed, failed;

static void check(int ok, const char* what, const char* detail) {
  if (ok) {
    passed++;
  } else {
    failed++;
    printf("FAIL %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  }
}

static void digest(const void* data, size_t n, size_t piece, char hex[65]) {
  sha256 h;
  sha256_init(&h);
  const unsigned char* p = data;
  for (size_t done = 0; done < n;) {
    size_t take = piece == 0 || n - done < piece ? n - done : piece;
    sha256_update(&h, p + done, take);
    done += take;
  }
  sha256_final_hex(&h, hex);
}

static void known(const char* name, const void* data, size_t n, const char* want) {
  for (int portable = 0; portable < 2; portable++) {
    sha256_portable_only = portable;
    size_t pieces[] = {0, 1, 63, 64, 65};
    for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++) {
      char got[65], what[128];
      digest(data, n, pieces[i], got);
      snprintf(what, sizeof what, "%s (%s, pieces of %zu)", name, portable ? "portable" : "default", pieces[i]);
      check(strcmp(got, want) == 0, what, got);
    }
  }
  sha256_portable_only = 0;
}

int main(void) {
  printf("SHA instructions: %s\n", sha256_has_sha_instructions() ? "yes, compared with the portable code" : "no");
  known("empty", "", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  known("abc", "abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char* two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  known("448 bits", two_blocks, strlen(two_blocks), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  const char* long_one = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
  known("896 bits", long_one, strlen(long_one), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  size_t million = 1000000;
  char* a = malloc(million);
  if (!a) return 1;
  memset(a, 'a', million);
  known("a million a", a, million, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  free(a);

  unsigned char data[1200];
  unsigned seed = 12345;
  for (size_t i = 0; i < sizeof data; i++) data[i] = (unsigned char)((seed = seed * 1103515245 + 12345) >> 16);
  for (size_t n = 0; n <= sizeof data; n++) {
    char portable[65], fast[65], what[96];
    size_t piece = (seed = seed * 1103515245 + 12345) >> 16 & 127;
    sha256_portable_only = 1;
    digest(data, n, piece, portable);
    sha256_portable_only = 0;
    digest(data, n, piece + 1, fast);
    snprintf(what, sizeof what, "%zu random bytes, both paths", n);
    check(strcmp(portable, fast) == 0, what, fast);
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
