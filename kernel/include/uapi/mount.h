#ifndef KEVLAR_UAPI_MOUNT_H
#define KEVLAR_UAPI_MOUNT_H

/* mount(2) and umount2(2) flags (linux/mount.h, sys/mount.h). */
#define MS_RDONLY       0x1
#define MS_NOSUID       0x2
#define MS_NODEV        0x4
#define MS_NOEXEC       0x8
#define MS_SYNCHRONOUS  0x10
#define MS_REMOUNT      0x20
#define MS_MANDLOCK     0x40
#define MS_DIRSYNC      0x80
#define MS_NOSYMFOLLOW  0x100
#define MS_NOATIME      0x400
#define MS_NODIRATIME   0x800
#define MS_BIND         0x1000
#define MS_MOVE         0x2000
#define MS_REC          0x4000
#define MS_SILENT       0x8000
#define MS_UNBINDABLE   (1u << 17)
#define MS_PRIVATE      (1u << 18)
#define MS_SLAVE        (1u << 19)
#define MS_SHARED       (1u << 20)
#define MS_RELATIME     (1u << 21)
#define MS_STRICTATIME  (1u << 24)
#define MS_LAZYTIME     (1u << 25)
/* Old callers put this magic in the top 16 bits; it means nothing. */
#define MS_MGC_VAL      0xC0ED0000u
#define MS_MGC_MSK      0xffff0000u

/* The per-mount flags: what a mount records and /proc/mounts shows. */
#define MS_PER_MOUNT    (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | \
			 MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME | \
			 MS_NOSYMFOLLOW | MS_SYNCHRONOUS | MS_DIRSYNC | MS_LAZYTIME)
#define MS_PROPAGATION  (MS_UNBINDABLE | MS_PRIVATE | MS_SLAVE | MS_SHARED)

/* umount2(2) */
#define MNT_FORCE       0x1
#define MNT_DETACH      0x2
#define MNT_EXPIRE      0x4
#define UMOUNT_NOFOLLOW 0x8

/* statfs f_flags (ST_* of sys/statvfs.h; ST_VALID says the field is filled). */
#define ST_RDONLY       0x1
#define ST_NOSUID       0x2
#define ST_NODEV        0x4
#define ST_NOEXEC       0x8
#define ST_SYNCHRONOUS  0x10
#define ST_VALID        0x20
#define ST_NOATIME      0x400
#define ST_NODIRATIME   0x800
#define ST_RELATIME     0x1000

/*
 * struct statfs on 64-bit Linux (asm-generic/statfs.h with long words):
 * the same 120 bytes on x86_64 and arm64.
 */
struct statfs_user {
	long f_type;
	long f_bsize;
	long f_blocks;
	long f_bfree;
	long f_bavail;
	long f_files;
	long f_ffree;
	int f_fsid[2];
	long f_namelen;
	long f_frsize;
	long f_flags;
	long f_spare[4];
};

#endif
