/* Host glue for Lua on wasm32-wasi (Kiln's large fixture): errors exit instead of unwinding,
   and the two C library calls that WASI lacks fail cleanly. */
#include "lua.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

void kiln_lua_throw(lua_State *L, int status) {
  const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(error object is not a string)";
  fprintf(stderr, "lua: %s\n", msg);
  fflush(stdout);
  exit(status == 0 ? 1 : status);
}

/* os.execute: no shell under WASI */
int system(const char *cmd) { if (cmd == NULL) return 0; errno = ENOSYS; return -1; }
/* io.tmpfile: no temporary directory under WASI */
FILE *tmpfile(void) { errno = ENOSYS; return NULL; }
