/* The exception tag wasi-libc's setjmp/longjmp throw (libc-top-half/musl/src/setjmp/wasm32/rt.c) and code
   compiled with `-mllvm -wasm-enable-sjlj` catches. LLVM expects the toolchain to define it; zig 0.17.1's
   wasi-libc refers to it without defining it, so the link would fail with `undefined symbol: __c_longjmp`.
   Its payload is the jmp_buf's argument block (one i32 on wasm32). */
__asm__(".globl __c_longjmp\n.tagtype __c_longjmp i32\n__c_longjmp:\n");
