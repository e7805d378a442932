#ifndef KEVLAR_TMPFS_LIMITS_H
#define KEVLAR_TMPFS_LIMITS_H

/*
 * tmpfs sizes (kernel/fs/tmpfs_limits.c): a mounted tmpfs holds at most
 * size= bytes of file pages and nr_inodes= inodes, by default half of
 * RAM's pages for each, as on Linux; past them a write or a create is
 * ENOSPC. The root file system from the initramfs has no limit. Counts
 * live in struct superblock, under fs_lock.
 */

#include <kevlar/types.h>

struct superblock;

struct tmpfs_limits {
	uint64_t max_pages, max_inodes;         /* 0: no limit */
	bool pages_set, inodes_set;             /* named in the options */
};

/*
 * Parse comma-separated mount options (others are ignored): size=N[kmgtpe%]
 * (bytes, or percent of RAM; rounded up to pages), nr_blocks=N[kmgtpe]
 * (pages), nr_inodes=N[kmgtpe]. 0 or -EINVAL for a malformed value.
 * total_pages: RAM, for the percent form.
 */
int tmpfs_limits_parse(const char *options, uint64_t total_pages, struct tmpfs_limits *out);

/* A new tmpfs: the options' limits, else half of RAM. -EINVAL: bad options. */
int tmpfs_limits_mount(struct superblock *sb, const char *options);
/* mount -o remount: the named limits change; -EINVAL below what is in use. */
int tmpfs_limits_remount(struct superblock *sb, const char *options);

/* One more file page or inode for sb: false (ENOSPC) past its limit. */
bool sb_charge_page(struct superblock *sb);
void sb_uncharge_page(struct superblock *sb);
bool sb_charge_inode(struct superblock *sb);
void sb_uncharge_inode(struct superblock *sb);

#endif
