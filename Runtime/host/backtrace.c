/* Wasm frames from native return addresses (kiln_backtrace.h). */
#define _GNU_SOURCE
#include "kiln_backtrace.h"
#include "kiln_line_table.h"

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

/* One loaded object: its file mapped from the first question about it (a --no-cache artifact's file is
 * removed once it is loaded; the mapping keeps its bytes), its generated functions sorted by address and its
 * line table, each read from the mapping when a trap first needs it. */
typedef struct {
  const void* base;
  const kiln_module* module; /* the artifact's descriptor, or NULL for the program itself */
  char* path;                /* what was mapped, to map it again once the mapping was let go */
  const u8* map;             /* NULL when not mapped */
  u64 size;
  int absolute; /* an ET_EXEC file: symbol values are addresses, not offsets from the base */
  int symbols_read, lines_read;
  kiln_symbol* symbols;
  size_t count;
  kiln_line_table lines;
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

/* Objects whose files are mapped, oldest first. A process may load thousands of artifacts (the spec suite
 * does), each already several mappings of the dynamic loader's: past this many, the oldest one's is let go,
 * and a trap in it maps the file again by its path (an artifact in the cache stays where it is). */
#define KILN_MAPPED_FILES 64
static size_t kiln_mapped[KILN_MAPPED_FILES]; /* indices into kiln_files, which may move when it grows */
static size_t kiln_mapped_count;

static void kiln_unmap(kiln_symbols* entry) {
  if (entry->map != NULL) munmap((void*)entry->map, (size_t)entry->size);
  entry->map = NULL;
  entry->size = 0;
}

/* Maps the whole file; its pages are read only when a trap is described. */
static int kiln_map_file(const char* path, kiln_symbols* out) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat status;
  if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode) || (u64)status.st_size < sizeof(Elf64_Ehdr)) {
    close(fd);
    return -1;
  }
  void* map = mmap(NULL, (size_t)status.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED) return -1;
  out->map = map;
  out->size = (u64)status.st_size;
  if (out->path == NULL || strcmp(out->path, path) != 0) {
    free(out->path);
    out->path = strdup(path);
  }
  return 0;
}

/* Every sized FUNC symbol named like a generated function, from the file's .symtab. Every offset and size is
 * checked against the file: it may be anything (a corrupt artifact must not crash the report of a trap). */
static void kiln_read_symbols(kiln_symbols* out) {
  out->symbols_read = 1;
  const u8* bytes = out->map;
  const u64 size = out->size;
  if (bytes == NULL) return;
  const Elf64_Ehdr* header = (const Elf64_Ehdr*)bytes;
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
  if (!ok) {
    free(symbols);
    return;
  }
  out->absolute = header->e_type == ET_EXEC;
  qsort(symbols, count, sizeof *symbols, kiln_by_start);
  out->symbols = symbols;
  out->count = count;
}

/* The symbols and the line table, from the mapping, once. */
static void kiln_read_tables(kiln_symbols* entry) {
  if (!entry->symbols_read) kiln_read_symbols(entry);
  if (!entry->lines_read) {
    entry->lines_read = 1;
    if (entry->map != NULL) (void)kiln_line_table_read_elf(entry->map, entry->size, &entry->lines);
  }
}

/* The entry of the object loaded at info->dli_fbase, its file mapped on first use. Called with the lock held. */
static kiln_symbols* kiln_symbols_for(const Dl_info* info) {
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
  /* The main program's name may be empty or relative to where it was started. A file that cannot be mapped
   * is remembered as having nothing, so it is not tried again. */
  if (info->dli_fname == NULL || info->dli_fname[0] == 0 || kiln_map_file(info->dli_fname, entry) != 0)
    (void)kiln_map_file("/proc/self/exe", entry);
  if (entry->map != NULL) {
    if (kiln_mapped_count == KILN_MAPPED_FILES) {
      kiln_unmap(&kiln_files[kiln_mapped[0]]);
      memmove(kiln_mapped, kiln_mapped + 1, (KILN_MAPPED_FILES - 1) * sizeof *kiln_mapped);
      kiln_mapped_count--;
    }
    kiln_mapped[kiln_mapped_count++] = kiln_file_count;
  }
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
    /* A return address: the call is the byte before it (a noreturn call may end its function). The faulting
     * instruction of a guard-mode trap is itself the address. */
    const uintptr_t pc = (uintptr_t)ctx->trap_frames[i] - (ctx->trap_frames[i] == ctx->fault_pc ? 0 : 1);
    Dl_info info;
    if (dladdr((const void*)pc, &info) == 0 || info.dli_fbase == NULL) continue;
    kiln_symbols* symbols = kiln_symbols_for(&info);
    if (symbols == NULL) continue;
    /* Let go of (see KILN_MAPPED_FILES) before a trap needed it: map it again just to read it. */
    if ((!symbols->symbols_read || !symbols->lines_read) && symbols->map == NULL && symbols->path != NULL &&
        kiln_map_file(symbols->path, symbols) == 0) {
      kiln_read_tables(symbols);
      kiln_unmap(symbols);
    }
    kiln_read_tables(symbols);
    if (symbols->count == 0) continue;
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
    /* Lines count from the function's body (Sources/KilnLower/LineDirectives.swift): 0 is no line, 1 the
     * body's start, any other the offset from it. */
    const u32 line = kiln_line_table_find(&symbols->lines, address);
    const u32 body = module->function_body_offsets ? module->function_body_offsets[s->index] : 0;
    const u32 code_offset = line == 0 || body == 0 ? 0 : body + (line == 1 ? 0 : line);
    out[n++] = (kiln_wasm_frame){s->index, module, address - s->start, code_offset};
  }
  pthread_mutex_unlock(&kiln_files_lock);
  return n;
}

void kiln_backtrace_describe(const kiln_wasm_frame* frame, char* out, size_t n) {
  const char* name = frame->module->function_names ? frame->module->function_names[frame->function] : NULL;
  int length = name ? snprintf(out, n, "func %u ($%s)", frame->function, name) : snprintf(out, n, "func %u", frame->function);
  if (frame->code_offset != 0 && length >= 0 && (size_t)length < n)
    snprintf(out + length, n - (size_t)length, " at offset 0x%x", frame->code_offset);
}
