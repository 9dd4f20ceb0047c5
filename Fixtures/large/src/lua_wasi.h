/* Forced include for Lua on wasm32-wasi (Kiln's large fixture), natively too for the same behaviour.
   Errors unwind with setjmp/longjmp, which wasi-libc implements with exception handling (build.sh). */
/* WASI has no tmpnam: os.tmpname fails with an error */
#define LUA_TMPNAMBUFSIZE 32
#define lua_tmpnam(b,e) { (b)[0] = 0; e = 1; }
