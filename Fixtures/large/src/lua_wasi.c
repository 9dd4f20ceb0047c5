/* Host glue for Lua on wasm32-wasi (Kiln's large fixture): the two C library calls that WASI lacks fail
   cleanly. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* os.execute: no shell under WASI */
int system(const char *cmd) { if (cmd == NULL) return 0; errno = ENOSYS; return -1; }
/* io.tmpfile: no temporary directory under WASI */
FILE *tmpfile(void) { errno = ENOSYS; return NULL; }
