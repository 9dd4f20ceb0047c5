/* The launcher's read-only view of Kiln's artifact cache: where it is, the launch records `kiln run`
 * leaves there (KilnCache/LaunchRecord.swift writes them), and the same checks of an entry that
 * KilnCache/Integrity.swift makes before anything is loaded. */
#ifndef KILN_LAUNCHER_CACHE_H
#define KILN_LAUNCHER_CACHE_H

#include <stddef.h>

/* What a valid launch record says. */
typedef struct launch_record {
  char entry[65];   /* the cache key of the artifact to run */
  char place[512];  /* how a trap in `_start` is located: `export "_start" (func $main)` */
  char tier[16];    /* which tier the entry holds (`optimized`), for KILN_LAUNCH_DEBUG */
} launch_record;

/* $KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else ~/.cache/kiln, as KilnCache/CacheLocation.swift: 0, or
 * -1 with *why set when there is none. */
int cache_directory(char* out, size_t size, const char** why);

/* Whether the cache is a directory of this user's that nobody else can write (the driver makes it). */
int cache_directory_trusted(const char* cache);

/* Reads <cache>/launch/<name> and checks every fact in it against this process's environment and files.
 * 0 when all hold; else -1 with *why set. */
int launch_record_read(const char* cache, const char* name, launch_record* record, const char** why);

/* Checks entry `digest` as Integrity.check does (owner, modes, manifest, size and SHA-256 of the artifact)
 * and writes the artifact's path. 0 when valid; else -1 with *why set. */
int cache_entry_check(const char* cache, const char* digest, char* artifact, size_t size, const char** why);

/* Marks the entry as just used (its `last-use` file's mtime), for `kiln cache prune`. */
void cache_entry_touch(const char* cache, const char* digest);

#endif
