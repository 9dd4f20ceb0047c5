/* Forced include for Lua on wasm32-wasi (Kiln's large fixture).
   WASI has no setjmp/longjmp without the exception-handling proposal, which Kiln does not implement.
   A Lua error therefore prints its message and exits instead of unwinding: pcall cannot catch errors. */
#define _SETJMP_H 1 /* skip wasi-libc's <setjmp.h>, which is an #error without exception handling */
#define luai_jmpbuf int
#define LUAI_TRY(L,c,a) { a }
#define LUAI_THROW(L,c) kiln_lua_throw(L, (c)->status)
struct lua_State;
__attribute__((noreturn)) void kiln_lua_throw(struct lua_State *L, int status);
/* WASI has no tmpnam: os.tmpname fails with an error */
#define LUA_TMPNAMBUFSIZE 32
#define lua_tmpnam(b,e) { (b)[0] = 0; e = 1; }
