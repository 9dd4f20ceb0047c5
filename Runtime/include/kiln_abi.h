/* The ABI between generated modules, the runtime copy inside each artifact, and the host (kiln).
 *
 * Every artifact exports exactly one symbol, `kiln_module_descriptor` (a kiln_module). Everything else is
 * hidden, so each artifact carries its own copy of the runtime without clashes. State that a trap must
 * reach goes through kiln_ctx (one per store), never through globals or thread-locals: module B may call
 * into module A, which has its own runtime copy. */
#ifndef KILN_ABI_H
#define KILN_ABI_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a struct below or the generated-code contract changes. 4: every artifact carries its
 * metadata record, behind the magic "KILNMETA" and this version, in an ELF section named .kiln_metadata,
 * which kiln reads from the file before dlopen (Sources/KilnLoad/ArtifactFile.swift); memories are defined
 * through kiln_memory_define, which reports instantiation limits in ctx->detail_buffer. */
#define KILN_ABI_VERSION 12u

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef float f32;
typedef double f64;
typedef u8 kiln_v128 __attribute__((vector_size(16), aligned(16)));
/* A reference (funcref or externref) in generated code; a typedef so one declaration can list several. */
typedef void* kiln_ref;

/* Value types as they appear in signature strings: "ij" -> "f" is (i32 i64) -> (f32). */
enum {
  KILN_I32 = 'i',
  KILN_I64 = 'j',
  KILN_F32 = 'f',
  KILN_F64 = 'd',
  KILN_V128 = 'v',
  KILN_FUNCREF = 'r',
  KILN_EXTERNREF = 'e',
};

/* A value crossing the host boundary (arguments, results, globals). References are pointers: a funcref
 * is a `const kiln_funcref*`, an externref is an opaque host pointer; NULL is the null reference. */
typedef union kiln_value {
  u32 i32;
  u64 i64;
  f32 f32;
  f64 f64;
  kiln_v128 v128;
  void* ref;
} kiln_value;

/* A function type as two NUL-terminated signature strings; types compare structurally (strcmp), so
 * call_indirect works across modules. A type whose parameters or results are typed references (`(ref $t)`,
 * `(ref null $t)`, `(ref func)`: typed function references) also has a `key`, the SHA-256 in hex of its
 * whole structure with every referenced type replaced by that type's key: equal keys, equal types, in any
 * module. Types of Wasm 2.0's value types leave it NULL, so that their strings alone decide, as before. */
typedef struct kiln_functype {
  const char* params;
  const char* results;
  const char* key;
} kiln_functype;

typedef enum kiln_trap_code {
  KILN_TRAP_NONE = 0,
  KILN_TRAP_UNREACHABLE = 1,
  KILN_TRAP_MEMORY_OUT_OF_BOUNDS,
  KILN_TRAP_TABLE_OUT_OF_BOUNDS,
  KILN_TRAP_INTEGER_DIVIDE_BY_ZERO,
  KILN_TRAP_INTEGER_OVERFLOW,
  KILN_TRAP_INVALID_CONVERSION,
  KILN_TRAP_UNDEFINED_ELEMENT,
  KILN_TRAP_UNINITIALIZED_ELEMENT,
  KILN_TRAP_INDIRECT_CALL_TYPE_MISMATCH,
  KILN_TRAP_CALL_STACK_EXHAUSTED,
  KILN_TRAP_OUT_OF_MEMORY,
  KILN_TRAP_HOST,
  KILN_TRAP_EXIT, /* not a trap: WASI proc_exit unwinding to the boundary; the code is in ctx->exit_code */
  /* Not a Wasm trap either: instantiation stopped by a limit or by the OS refusing memory (a memory's
   * minimum above --max-memory-pages, a reservation that fails); ctx->trap_detail says which and what to
   * change. Hosts report it as an instantiation error. */
  KILN_TRAP_INSTANTIATION,
  KILN_TRAP_NULL_REFERENCE,          /* ref.as_non_null of null */
  KILN_TRAP_NULL_FUNCTION_REFERENCE, /* call_ref or return_call_ref of null */
  KILN_TRAP_NULL_EXCEPTION_REFERENCE, /* throw_ref of null */
  /* Not a trap: a Wasm exception no handler caught, arriving at the host boundary. ctx->exception holds it. */
  KILN_TRAP_EXCEPTION,
  KILN_TRAP_OUT_OF_FUEL, /* a KILN_FUEL check found too little fuel left (kiln_interrupt.h) */
  KILN_TRAP_INTERRUPT,   /* the store's epoch deadline passed and no callback gave more time */
  KILN_TRAP_UNALIGNED_ATOMIC,      /* an atomic access at an address not a multiple of its width (threads) */
  KILN_TRAP_EXPECTED_SHARED_MEMORY, /* memory.atomic.wait on a memory that is not shared */
  KILN_TRAP_COUNT
} kiln_trap_code;

/* Parameters and results a tail call can pass (a function with more has no tail entry). */
#define KILN_TAIL_SLOTS 128

/* Return addresses a trap keeps for its backtrace (the innermost ones; deeper frames are left out). */
#define KILN_TRAP_FRAMES 32

/* Per store: where a trap jumps, how deep the native stack may go, the memory limit. */
typedef struct kiln_ctx {
  jmp_buf* jmp;            /* set by kiln_invoke (host) or exe_main around every entry into guest code */
  char* stack_limit;       /* KILN_ENTER traps when the frame address goes below this */
  u64 max_memory_pages;    /* cap on any memory's growth (configurable; default 65536) */
  int trap_code;           /* the last trap */
  const char* trap_detail; /* optional detail (host trap message) */
  void* host;              /* host data: the kiln_wasi state of a command */
  int exit_code;           /* set by proc_exit along with KILN_TRAP_EXIT */
  struct kiln_memory* guarded; /* this store's guarded memories (a list through kiln_memory.guard_next) */
  char detail_buffer[256];     /* room for a trap_detail the runtime formats (KILN_TRAP_INSTANTIATION) */
  /* Arguments and results of tail calls. A function of a module that uses tail calls has a tail entry,
   * `void (*)(kiln_instance*)`, that takes its arguments from here and leaves its results here: one C
   * signature for all, so every tail call can be a `musttail` call whatever the Wasm types (clang requires
   * identical prototypes). Only used between a write and the callee's first statements, never across a
   * call, so one buffer per store serves any depth and any instance of the store. */
  kiln_value tail[KILN_TAIL_SLOTS];
  /* Exception handling (kiln_exception.h): the innermost try_table's handler in the guest code running
   * now (NULL at every entry from the host, which saves and restores it), and the exception being thrown. */
  struct kiln_handler* handler;
  struct kiln_exception* exception;
  /* Exceptions caught with a reference (catch_ref, catch_all_ref), which may live on in any local, global
   * or table: kept until the store goes (kiln_ctx_release_exceptions). */
  struct kiln_exception* kept_exceptions;
  /* An exception a host function throws: set by the host, thrown by the adapter that called it once the
   * host function has returned (no longjmp through the host's frames). */
  struct kiln_exception* host_exception;
  /* Set by the host when a host function failed (a Swift error, a result of the wrong type): the adapter
   * traps with KILN_TRAP_HOST once the host function has returned, with trap_detail saying why. */
  int host_trap;
  /* Interruption (kiln_interrupt.h), read only by code built with it. `fuel` is what is left (the host's
   * default, UINT64_MAX, is no budget). `epoch` points at the engine's counter, which any thread may
   * advance; never NULL (the host points it at a counter that stays 0). */
  u64 fuel;
  const u64* epoch;
  u64 epoch_deadline;
  /* Called when the deadline passes: returns how many epochs more the guest may run, or 0 to trap. */
  u64 (*epoch_callback)(struct kiln_ctx* ctx, void* userdata);
  void* epoch_userdata;
  /* Store limits (kiln_limits.h), 0 for none: the bytes all of the store's memories may hold together
   * (memory_bytes counts them), the elements any one table may hold, and the native stack guest code may
   * use below its entry from the host. Growth past a limit fails (-1); instantiation past one is an error. */
  u64 max_store_memory_bytes;
  u64 memory_bytes;
  u64 max_table_elements;
  u64 max_wasm_stack;
  /* The native return addresses at the last trap, innermost first, as kiln_trap found them (kiln_backtrace.h
   * turns them into Wasm frames); a count of 0 when none were taken. */
  void* trap_frames[KILN_TRAP_FRAMES];
  int trap_frame_count;
  /* The faulting instruction of a guard-mode trap (Runtime/host/invoke.c), among trap_frames as itself
   * rather than as a return address; NULL for every other trap. */
  void* fault_pc;
} kiln_ctx;

struct kiln_instance;

/* A function reference: its type, its code, and the instance it closes over. Every function of an
 * instance has one in `funcs`; ref.func and tables hand out pointers to them. `fn` has the C type
 * `R (*)(kiln_instance*, P...)` of its signature (see the generated kiln_fn_* typedefs). */
typedef struct kiln_funcref {
  const kiln_functype* type;
  void* fn;
  struct kiln_instance* instance;
  /* The tail entry (see kiln_ctx.tail), or NULL: a tail call to it is then an ordinary call and return. */
  void (*tail)(struct kiln_instance*);
} kiln_funcref;

/* Linear memory: reserved up front (mmap, no access) and committed as it grows. `data` may move when a
 * memory grows past its reservation (src/memory.c says when), so nothing may keep `data` across a call
 * that can run memory.grow: generated code reloads its copy after every call and grow.
 *
 * A shared memory (threads) is used by several threads at once: its reservation is its whole reach, so
 * `data` never moves; growth takes a lock and publishes pages, size and limit with atomic stores, and every
 * reader of those fields on a shared memory uses atomic loads (kiln_shared_memory.h). */
typedef struct kiln_memory {
  u8* data;
  u64 size;        /* bytes accessible: pages * 65536 */
  u64 limit;       /* kiln_memory_limit(size): indices below it are in bounds for small offsets; 0 is
                    * always safe (every access then takes the exact test) */
  u64 pages;
  u64 max_pages;   /* declared maximum, or 65536 */
  u64 reserved;    /* bytes reserved at `data` */
  u64 reach;       /* bytes it may ever grow to: max_pages capped by the store's limit when created */
  u8 has_max;      /* whether a maximum was declared (import matching needs to know) */
  u8 is64;         /* a 64-bit memory (memory64): i64 addresses; imports must match it */
  u8 shared;       /* a shared memory (threads); imports must match it */
  /* A shared memory's lock for growth and its queues of waiters (src/wait.c); NULL for any other. */
  struct kiln_shared_state* shared_state;
  /* A guarded memory (bounds mode "guard") reserves KILN_GUARD_BYTES, so every 32-bit index plus offset
   * lands inside the reservation and an access past `size` faults; the store keeps a list of them so the
   * fault handler can tell a guest's out-of-bounds access from a host crash. */
  struct kiln_memory* guard_next;
  struct kiln_memory** guard_link; /* the pointer that points here, for unlinking */
} kiln_memory;

/* A table of references (funcref entries are `const kiln_funcref*`, externref entries host pointers). */
typedef struct kiln_table {
  void** elements;
  u32 size;
  u32 max;         /* declared maximum, or 0xFFFFFFFF */
  u32 capacity;
  u8 elem_type;    /* KILN_FUNCREF or KILN_EXTERNREF */
  u8 is64;         /* a 64-bit table (table64): i64 indices; imports must match it */
  const char* ref_type; /* a typed element type (see kiln_import.ref_type), or NULL for funcref/externref */
} kiln_table;

typedef struct kiln_global {
  kiln_value value;
  u8 type;         /* KILN_I32 … */
  u8 is_mutable;
  const char* ref_type; /* a typed reference type (see kiln_import.ref_type), or NULL */
} kiln_global;

/* The part of every instance the runtime and the host understand; the generated `Instance` starts with
 * it and points the arrays at its own storage. Imports are written into these arrays by the linker. */
/* An exception tag (exception handling): its identity is its address; imports share the exporter's. */
typedef struct kiln_tag {
  const kiln_functype* type; /* the payload's types are its parameters */
} kiln_tag;

typedef struct kiln_instance {
  kiln_ctx* ctx;
  const struct kiln_module* module;
  kiln_funcref* funcs;        /* [num_funcs], imports first */
  kiln_memory** memories;     /* [num_memories] */
  kiln_table** tables;        /* [num_tables] */
  kiln_global** globals;      /* [num_globals] */
  kiln_tag** tags;            /* [num_tags] */
} kiln_instance;

typedef enum kiln_extern_kind {
  KILN_EXTERN_FUNC = 0,
  KILN_EXTERN_TABLE = 1,
  KILN_EXTERN_MEMORY = 2,
  KILN_EXTERN_GLOBAL = 3,
  KILN_EXTERN_TAG = 4,
} kiln_extern_kind;

typedef struct kiln_import {
  const char* module;
  const char* name;
  u8 kind;           /* kiln_extern_kind */
  u32 index;         /* into the kind's index space (imports come first) */
  u32 type_index;    /* func, tag: its type */
  u8 value_type;     /* table: element type; global: value type */
  u8 is_mutable;     /* global */
  u8 has_max;        /* table, memory */
  u64 min, max;      /* table, memory limits */
  u32 module_length;  /* names may contain NUL bytes */
  u32 name_length;
  u8 is64;           /* memory, table: a 64-bit address type (memory64, table64) */
  /* table, global: a reference type beyond funcref and externref (typed function references), spelled
   * `?` (nullable) or `!` (not), then `func`, `extern`, or the referenced type's key (see kiln_functype);
   * NULL for the nullable funcref and externref that value_type names. */
  const char* ref_type;
  u8 shared;         /* memory: shared (threads); must match the memory it imports */
} kiln_import;

typedef struct kiln_export {
  const char* name;
  u8 kind;           /* kiln_extern_kind */
  u32 index;
  u32 name_length;   /* names may contain NUL bytes */
} kiln_export;

/* Calls a function reference of the trampoline's type with arguments and results as kiln_values. */
typedef void (*kiln_trampoline)(const kiln_funcref* f, const kiln_value* args, kiln_value* results);

/* A function the host implements: the linker puts `{type, adapters[type], (kiln_instance*)host_func}`
 * into the importing instance; the generated adapter of that type packs the arguments and calls `call`. */
typedef struct kiln_host_func {
  kiln_ctx* ctx;     /* first, like kiln_instance, so adapters can reach the ctx to trap */
  void (*call)(struct kiln_host_func* self, const kiln_value* args, kiln_value* results);
  void* userdata;
} kiln_host_func;

/* kiln_module.interruption: the checks an artifact's code makes (kiln_interrupt.h). */
#define KILN_INTERRUPT_FUEL 1u
#define KILN_INTERRUPT_EPOCH 2u

typedef struct kiln_module {
  u32 abi_version;        /* KILN_ABI_VERSION */
  const char* kiln_version;
  const char* name;       /* the name section's module name, or the file name */
  u32 num_types;
  const kiln_functype* types;
  u32 num_funcs, num_imported_funcs;
  const u32* func_types;  /* [num_funcs] type index of every function */
  u32 num_memories, num_tables, num_globals;
  u32 num_imports;
  const kiln_import* imports;
  u32 num_exports;
  const kiln_export* exports;
  const kiln_trampoline* trampolines;  /* [num_types] */
  void* const* host_adapters;          /* [num_types] */
  /* Allocates a zeroed instance whose arrays point at its own storage; NULL if out of memory. */
  kiln_instance* (*alloc)(kiln_ctx* ctx);
  /* After the linker filled the imports: defines memories, tables, globals and functions, then applies
   * element and data segments in order. May trap (run it under kiln_invoke_init). */
  void (*init)(kiln_instance* self);
  /* The start function, or NULL. May trap. */
  void (*start)(kiln_instance* self);
  void (*free)(kiln_instance* self);
  /* JSON: kiln version, the source module's SHA-256, the build options and C compiler identity, the
   * target triple, and the import/export signatures. The loader refuses an artifact for another target. */
  const char* metadata;
  u32 num_tags;
  u32 interruption; /* KILN_INTERRUPT_FUEL | KILN_INTERRUPT_EPOCH: the checks its code makes */
  /* [num_funcs]: each function's name from the name section, or NULL (for backtraces). */
  const char* const* function_names;
  /* [num_funcs]: the module offset of each defined function's body (its size field; 0 for imports). The
   * line tables number code by the offset from it (Sources/KilnLower/LineDirectives.swift). */
  const u32* function_body_offsets;
} kiln_module;

#ifdef __cplusplus
}
#endif
#endif
