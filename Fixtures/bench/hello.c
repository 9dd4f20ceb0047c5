/* hello: prints one line (Kiln benchmark corpus, a WASI command). Not a benchmark: the start-up probe of
 * `make bench`, whose whole-process time is what every engine adds to a program that does nothing.
 *
 *   hello
 */
#include <stdio.h>

int main(void) {
  puts("hello, world");
  return 0;
}
