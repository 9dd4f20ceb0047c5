/* The exception tag C++ code compiled with -fwasm-exceptions throws and catches (`__cpp_exception`, its
   payload the address of the thrown object). LLVM expects the C++ runtime to define it; zig 0.17.1 builds its
   libc++abi for wasm without exceptions and defines it nowhere, so exceptions_bench brings libc++abi's
   exception sources and this tag (build.sh). */
__asm__(".globl __cpp_exception\n.tagtype __cpp_exception i32\n__cpp_exception:\n");
