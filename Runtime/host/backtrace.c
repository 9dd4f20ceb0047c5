/* Wasm frames from native return addresses (kiln_backtrace.h). */
#define _GNU_SOURCE
#include "kiln_backtrace.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  u64 start, size;
  u32 index;
} kiln_symbol;

/* The generated functions of one loaded object, sorted by address; read from its file once. */
typedef struct {
  const void* base;
  const kiln_module* module; /* the artifact's descriptor, or NULL for the program itself */
  int absolute; /* an ET_EXEC file: symbol values are addresses, not offsets from the base */
  kiln_symbol* symbols;
  size_t count;
} kiln_symbols;

/* Every object a trap or a load has asked about (artifacts stay loaded, so a base address never changes
 * hands); a process running the spec suite loads thousands. */
static kiln_symbols* kiln_files;
static size_t kiln_file_count, kiln_file_room;
static pthread_mutex_t kiln_files_lock = PTHREAD_MUTEX_INITIALIZER;

/* `func<INDEX>`, alone or followed by `_` and the rest (Sources/KilnLower/CNames.swift): the index. */
static int kiln_function_index(const char* name, u32* index) {
  if (strncmp(name, "func", 4) != 0 || name[4] < '0' || name[4] > '9') return 0;
  u64 value = 0;
  const char* p = name + 4;
  for (; *p >= '0' && *p <= '9'; p++) {
    value = value * 10 + (u64)(*p - '0');
    if (value > UINT32_MAX) return 0;
  }
  if (*p != 0 && *p != '_') return 0;
  *index = (u32)value;
  return 1;
}

static int kiln_by_start(const void* a, const void* b) {
  u64 x = ((const kiln_symbol*)a)->start, y = ((const kiln_symbol*)b)->start;
  return x < y ? -1 : x > y;
}

/* Every sized FUNC symbol named like a generated function, from the file's .symtab. Every offset and size is
 * checked against the file: it may be anything (a corrupt artifact must not crash the report of a trap). */
static int kiln_read_symbols(const char* path, kiln_symbols* out) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat status;
  if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode) || (u64)status.st_size < sizeof(Elf64_Ehdr)) {
    close(fd);
    return -1;
  }
  const u64 size = (u64)status.st_size;
  void* map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED) return -1;
  const u8* bytes = map;
  const Elf64_Ehdr* header = map;
  int ok = memcmp(header->e_ident, ELFMAG, SELFMAG) == 0 && header->e_ident[EI_CLASS] == ELFCLASS64 &&
           header->e_shentsize == sizeof(Elf64_Shdr) && header->e_shoff <= size &&
           (u64)header->e_shnum <= (size - header->e_shoff) / sizeof(Elf64_Shdr);
  kiln_symbol* symbols = NULL;
  size_t count = 0, room = 0;
  for (u32 s = 0; ok && s < header->e_shnum; s++) {
    const Elf64_Shdr* section = (const Elf64_Shdr*)(bytes + header->e_shoff) + s;
    if (section->sh_type != SHT_SYMTAB || section->sh_link >= header->e_shnum) continue;
    const Elf64_Shdr* strings = (const Elf64_Shdr*)(bytes + header->e_shoff) + section->sh_link;
    if (section->sh_offset > size || section->sh_size > size - section->sh_offset || strings->sh_offset > size ||
        strings->sh_size > size - strings->sh_offset || strings->sh_size == 0)
      continue;
    const char* names = (const char*)bytes + strings->sh_offset;
    const Elf64_Sym* table = (const Elf64_Sym*)(bytes + section->sh_offset);
    for (u64 i = 0; i < section->sh_size / sizeof(Elf64_Sym); i++) {
      const Elf64_Sym* symbol = &table[i];
      u32 index;
      if (ELF64_ST_TYPE(symbol->st_info) != STT_FUNC || symbol->st_size == 0 || symbol->st_name >= strings->sh_size ||
          memchr(names + symbol->st_name, 0, strings->sh_size - symbol->st_name) == NULL ||
          !kiln_function_index(names + symbol->st_name, &index))
        continue;
      if (count == room) {
        room = room ? room * 2 : 256;
        kiln_symbol* grown = realloc(symbols, room * sizeof *symbols);
        if (grown == NULL) {
          ok = 0;
          break;
        }
        symbols = grown;
      }
      symbols[count++] = (kiln_symbol){symbol->st_value, symbol->st_size, index};
    }
  }
  out->absolute = ok && header->e_type == ET_EXEC;
  munmap(map, (size_t)size);
  if (!ok) {
    free(symbols);
    return -1;
  }
  qsort(symbols, count, sizeof *symbols, kiln_by_start);
  out->symbols = symbols;
  out->count = count;
  return 0;
}

/* The symbols of the object loaded at info->dli_fbase (read on first use). Called with the lock held. */
static const kiln_symbols* kiln_symbols_for(const Dl_info* info) {
  for (size_t i = kiln_file_count; i > 0; i--) /* the newest first: a load is followed by its traps */
    if (kiln_files[i - 1].base == info->dli_fbase) return &kiln_files[i - 1];
  if (kiln_file_count == kiln_file_room) {
    size_t room = kiln_file_room ? kiln_file_room * 2 : 16;
    kiln_symbols* grown = realloc(kiln_files, room * sizeof *grown);
    if (grown == NULL) return NULL;
    kiln_files = grown;
    kiln_file_room = room;
  }
  kiln_symbols* entry = &kiln_files[kiln_file_count];
  memset(entry, 0, sizeof *entry);
  /* The main program's name may be empty or relative to where it was started. */
  if ((info->dli_fname == NULL || info->dli_fname[0] == 0 || kiln_read_symbols(info->dli_fname, entry) != 0) &&
      kiln_read_symbols("/proc/self/exe", entry) != 0)
    entry->count = 0; /* remembered as having none, so the file is not read again */
  entry->base = info->dli_fbase;
  /* An artifact exports its descriptor; the program's own module (an --exe) is found by the caller. */
  void* handle = info->dli_fname && info->dli_fname[0] ? dlopen(info->dli_fname, RTLD_LAZY | RTLD_NOLOAD) : NULL;
  if (handle != NULL) {
    void* descriptor = dlsym(handle, "kiln_module_descriptor");
    Dl_info where;
    /* Only the object's own: dlsym would also find another library's through its dependencies. */
    if (descriptor != NULL && dladdr(descriptor, &where) != 0 && where.dli_fbase == info->dli_fbase) entry->module = descriptor;
    dlclose(handle);
  }
  kiln_file_count++;
  return entry;
}

void kiln_backtrace_prepare(const void* address) {
  Dl_info info;
  if (dladdr(address, &info) == 0 || info.dli_fbase == NULL) return;
  pthread_mutex_lock(&kiln_files_lock);
  (void)kiln_symbols_for(&info);
  pthread_mutex_unlock(&kiln_files_lock);
}

int kiln_backtrace_frames(const kiln_ctx* ctx, const kiln_module* main_module, kiln_wasm_frame* out, int max) {
  int n = 0;
  pthread_mutex_lock(&kiln_files_lock);
  for (int i = 0; i < ctx->trap_frame_count && n < max; i++) {
    /* A return address: the call is the byte before it (a noreturn call may end its function). */
    const uintptr_t pc = (uintptr_t)ctx->trap_frames[i] - 1;
    Dl_info info;
    if (dladdr((const void*)pc, &info) == 0 || info.dli_fbase == NULL) continue;
    const kiln_symbols* symbols = kiln_symbols_for(&info);
    if (symbols == NULL || symbols->count == 0) continue;
    const u64 address = symbols->absolute ? (u64)pc : (u64)(pc - (uintptr_t)info.dli_fbase);
    size_t low = 0, high = symbols->count;
    while (high - low > 1) {
      size_t middle = low + (high - low) / 2;
      if (symbols->symbols[middle].start <= address) low = middle;
      else high = middle;
    }
    const kiln_symbol* s = &symbols->symbols[low];
    if (address < s->start || address - s->start >= s->size) continue;
    const kiln_module* module = symbols->module ? symbols->module : main_module;
    if (module == NULL || s->index >= module->num_funcs) continue;
    out[n++] = (kiln_wasm_frame){s->index, module, address - s->start};
  }
  pthread_mutex_unlock(&kiln_files_lock);
  return n;
}

void kiln_backtrace_describe(const kiln_wasm_frame* frame, char* out, size_t n) {
  const char* name = frame->module->function_names ? frame->module->function_names[frame->function] : NULL;
  if (name) snprintf(out, n, "func %u ($%s)", frame->function, name);
  else snprintf(out, n, "func %u", frame->function);
}
