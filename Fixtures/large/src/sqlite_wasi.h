/* Forced include for the SQLite shell and library on wasm32-wasi (Kiln's large fixture).
   SQLite 3.40 predates upstream's WASI support (3.41); these are the same adaptations, as a header.
   WASI has no users: no home directory (so no ~/.sqliterc), and no chown. */
#include <sys/types.h>
#include <pwd.h>
#define getuid() ((uid_t)0)
#define getpwuid(uid) ((struct passwd *)0)
static inline uid_t kiln_geteuid(void) { return 0; }
static inline int kiln_fchown(int fd, uid_t uid, gid_t gid) { (void)fd; (void)uid; (void)gid; return 0; }
#define geteuid kiln_geteuid
#define fchown kiln_fchown
/* WASI has no advisory locks: SQLite locks with lock directories instead (the "unix-dotfile" VFS),
   and the POSIX lock constants only need to exist. */
#define SQLITE_DEFAULT_UNIX_VFS "unix-dotfile"
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#define F_GETLK 12
#define F_SETLK 13
#define F_SETLKW 14
