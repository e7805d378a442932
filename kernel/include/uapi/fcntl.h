#ifndef KEVLAR_UAPI_FCNTL_H
#define KEVLAR_UAPI_FCNTL_H

/* open flags and fcntl commands (asm-generic/fcntl.h, linux/fcntl.h). */
#define O_ACCMODE       00000003
#define O_RDONLY        00000000
#define O_WRONLY        00000001
#define O_RDWR          00000002
#define O_CREAT         00000100
#define O_EXCL          00000200
#define O_NOCTTY        00000400
#define O_TRUNC         00001000
#define O_APPEND        00002000
#define O_NONBLOCK      00004000
#if defined(__aarch64__)
/* arm64's asm/fcntl.h moves these four. */
#define O_DIRECTORY     00040000
#define O_NOFOLLOW      00100000
#define O_DIRECT        00200000
#define O_LARGEFILE     00400000
#else
#define O_DIRECT        00040000
#define O_LARGEFILE     00100000
#define O_DIRECTORY     00200000
#define O_NOFOLLOW      00400000
#endif
#define O_CLOEXEC       02000000
#define O_NOATIME       01000000
#define O_PATH          010000000
#define O_SYNC          04010000
#define O_TMPFILE       (020000000 | O_DIRECTORY)

#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_GETLK         5
#define F_SETLK         6
#define F_SETLKW        7
#define F_SETOWN        8
#define F_GETOWN        9
#define F_DUPFD_CLOEXEC 1030    /* F_LINUX_SPECIFIC_BASE + 6 */
#define F_SETPIPE_SZ    1031
#define F_GETPIPE_SZ    1032
#define FD_CLOEXEC      1

#define AT_FDCWD            -100
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EACCESS          0x200   /* faccessat */
#define AT_REMOVEDIR        0x200   /* unlinkat (same value, other call) */
#define AT_SYMLINK_FOLLOW   0x400   /* linkat */
#define AT_NO_AUTOMOUNT     0x800
#define AT_EMPTY_PATH       0x1000
#define AT_STATX_SYNC_TYPE  0x6000

/* renameat2 flags (linux/fs.h) */
#define RENAME_NOREPLACE    (1 << 0)
#define RENAME_EXCHANGE     (1 << 1)
#define RENAME_WHITEOUT     (1 << 2)

/* access(2) modes */
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

/* utimensat special nanosecond values (linux/stat.h) */
#define UTIME_NOW   ((1l << 30) - 1l)
#define UTIME_OMIT  ((1l << 30) - 2l)

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* sync_file_range flags (linux/fs.h) */
#define SYNC_FILE_RANGE_WAIT_BEFORE 1
#define SYNC_FILE_RANGE_WRITE       2
#define SYNC_FILE_RANGE_WAIT_AFTER  4

#endif
