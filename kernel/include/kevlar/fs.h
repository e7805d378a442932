#ifndef KEVLAR_FS_H
#define KEVLAR_FS_H

/*
 * Files and the in-memory tree filesystem (kernel/fs/). File systems sit
 * behind the VFS (kevlar/vfs.h); for now each is a tmpfs or built from
 * one, the root a tmpfs filled from the initramfs. Names (dentries) and
 * objects (inodes) are separate so a file can have several hard links and
 * can outlive its last name while it is open.
 *
 * Locking: the tree, inode contents, mounts, descriptor tables (and a
 * task's pointers to its table, cwd and root, which exit clears under it)
 * and AF_UNIX socket state are guarded by fs_lock() (fs/fs_lock.c), a
 * mutex its holder may take again (it nests) and may sleep under: a
 * page allocation, a user copy that faults, later a disk read. Waiting
 * for an event (data on a socket, a peer) is not done under it: such
 * waits drop it while asleep (wait_event_interruptible_fs) or before.
 * Interrupt handlers never take it. Order: fs_lock before mm->lock,
 * never the other way. It does not keep other tasks alive: procfs holds
 * task and mm references for that (kernel/README.md, "References" and
 * "Locking").
 */

#include <kevlar/types.h>
#include <kevlar/list.h>
#include <kevlar/refcount.h>
#include <kevlar/wait.h>
#include <uapi/stat.h>

#define NAME_MAX        255
#define PATH_MAX        4096
#define SYMLOOP_MAX     40      /* Linux's limit on symlinks in one lookup */
/*
 * Descriptors: a table grows (doubling from FD_TABLE_FIRST slots) up to
 * the process's RLIMIT_NOFILE, whose defaults are Linux's (1024 soft,
 * 4096 hard) and whose hard limit root may raise to NR_OPEN (Linux's
 * fs.nr_open default).
 */
#define FD_TABLE_FIRST  64
#define NR_OPEN         (1 << 20)
#define NOFILE_SOFT     1024
#define NOFILE_HARD     4096
#define PIPE_BUF        4096    /* writes up to this size are atomic */
#define PIPE_SIZE       65536   /* Linux's default pipe capacity */

struct file;
struct poll_table;
struct dentry;
struct superblock;
struct super_ops;
struct vfs_inode_ops;
struct page_cache_ops;

/*
 * Computed files (procfs, sysfs; fs/pseudo.c): an inode with these
 * operations gets its contents from them instead of the tmpfs data.
 */
struct inode_ops {
	/* Bring a computed directory's entries up to date (lookup, readdir). */
	void (*refresh)(struct dentry *dir);
	/* Open the file (instead of the tmpfs regular-file code). */
	int (*open)(struct dentry *d, unsigned flags, struct file **out);
	/* A computed symlink's target into buf: its length or -errno. */
	long (*readlink)(struct dentry *d, char *buf, size_t size);
};

/*
 * read and write move iov_iter_count(it) bytes at most through an I/O
 * cursor (kevlar/uio.h: user memory or a kernel buffer) and return the
 * count moved or -errno; a fault after some bytes is a short count.
 */
struct iov_iter;

struct file_ops {
	ssize_t (*read)(struct file *f, struct iov_iter *to);
	ssize_t (*write)(struct file *f, struct iov_iter *from);
	long (*ioctl)(struct file *f, unsigned cmd, unsigned long arg);
	/*
	 * Readiness as POLL* bits (uapi/poll.h). When pt is not NULL the
	 * file also registers the wait queues that will announce a change,
	 * with poll_wait() (fs/poll.c).
	 */
	unsigned (*poll)(struct file *f, struct poll_table *pt);
	/* The last reference to the open file is gone. */
	void (*release)(struct file *f);
};

/* Register wq with a poll in progress (fs/poll.c; weak until it exists). */
void poll_wait(struct file *f, struct wait_queue *wq, struct poll_table *pt)
	__attribute__((weak));

struct inode {
	uint64_t ino;
	uint32_t mode, uid, gid, nlink;
	int64_t atime_sec, mtime_sec, ctime_sec;
	uint32_t atime_nsec, mtime_nsec, ctime_nsec;
	uint32_t rdev_major, rdev_minor;
	uint64_t size;
	refcount_t refs;                /* names (nlink) + open files + users */
	/* Symlink targets. */
	char *data;
	size_t capacity;
	bool data_borrowed;             /* points into the initrd; copy before writing */
	/* Regular files: the page cache (fs/file_pages.c, kevlar/page_cache.h). */
	void **pages;                   /* nr_slots slots, NULL: not cached */
	uint8_t *slot_flags;            /* nr_slots PAGE_SLOT_* (dirty, mapped shared) */
	uint64_t nr_slots, nr_pages;
	uint64_t nr_dirty;              /* slots with PAGE_SLOT_DIRTY */
	const struct page_cache_ops *pc_ops; /* where missing pages come from; NULL: holes */
	int wb_err;                     /* a writeback error the next fsync reports */
	struct list_head dirty_link;    /* in the dirty list while nr_dirty and write_page */
	/* tmpfs files from the initramfs: the archive's bytes (read-only), read through pc_ops. */
	const char *backing;
	uint64_t backing_len;           /* <= size */
	void *fifo;                     /* named pipes: the pipe while open */
	struct superblock *sb;          /* filesystem instance (kevlar/mount.h); NULL: rootfs */
	const struct vfs_inode_ops *fs_ops; /* its file system's operations (kevlar/vfs.h) */
	const struct inode_ops *iops;   /* computed files; NULL for plain tmpfs */
	void *priv;                     /* the computed file's (fs/procfs*.c, ...) */
	long priv_id;                   /* likewise: a pid, a descriptor, ... */
	struct list_head icache_link;   /* in the inode cache's chain (kevlar/dcache.h) */
	bool cached;                    /* in the inode cache */
};

/* A name (kevlar/dcache.h: made, linked and found by the dentry cache). */
struct dentry {
	char name[NAME_MAX + 1];
	struct inode *inode;
	struct dentry *parent;          /* ".." (the root is its own parent) */
	struct list_head children;      /* directories: entries, in creation order */
	struct list_head sibling;       /* link in parent->children */
	struct list_head hash_link;     /* in the dentry cache's (parent, name) chain */
	bool hashed;                    /* in that hash: attached to a directory */
	uint64_t dir_pos;               /* readdir cookie: grows in creation order */
	uint64_t next_dir_pos;          /* directories: cookie of the next entry */
	refcount_t refs;                /* the tree holds one while linked */
	bool unlinked;
	/* Found by name but left out of readdir: /proc/<tid> of a thread that
	 * does not lead its group (Linux lists threads only under task/). */
	bool unlisted;
	int mounted;                    /* filesystems mounted on this directory */
};

struct file {
	const struct file_ops *ops;
	struct inode *inode;            /* NULL for the boot console and pipes */
	struct dentry *dentry;          /* opened by name (directories, fchdir) */
	uint64_t pos;
	unsigned flags;                 /* O_* given to open */
	/* Descriptors (one each), SCM_RIGHTS in flight, and every syscall
	 * working on it (fdget): the last one to go releases it. */
	refcount_t refs;
	void *private;                  /* the driver's (pipe end, tty, ...) */
};

/*
 * A descriptor table, shared by the threads of a process (CLONE_FILES).
 * fd[] and cloexec[] (size slots each; replaced by bigger arrays when a
 * descriptor past them is needed) change under fs_lock(), and so does task->files on
 * exit (procfs and umount read other tasks' tables under fs_lock()); each
 * entry holds a reference
 * to its file, dropped only after the entry is cleared, so a file found in
 * the table under fs_lock() stays valid until fs_unlock().
 */
struct fd_table {
	refcount_t refs;                /* the tasks using it */
	unsigned size;                  /* slots in fd[] and cloexec[] */
	struct file **fd;
	bool *cloexec;
};

/*
 * The filesystem lock (see above). Macros so the checker names the
 * caller's line; call them as fs_lock() / fs_unlock().
 */
void fs_lock_at(const char *site);
void fs_unlock_at(const char *site);
#define fs_lock()   fs_lock_at(LOCK_SITE)
#define fs_unlock() fs_unlock_at(LOCK_SITE)
/* The current task holds fs_lock (for assertions). */
bool fs_lock_held(void);
/* fs_unlock before a sleep: reports a nested hold, which would stay held. */
void fs_unlock_to_sleep_at(const char *site);

/*
 * Sleep on wq until cond, an expression over state fs_lock guards, holds.
 * Called with fs_lock held once (not nested) and returns with it held;
 * cond is evaluated under it, and the lock is dropped while asleep.
 * Queued on wq before each check, so the waker's wake_up_all after its
 * change (made under fs_lock) is never lost. 0 when cond holds,
 * -ERESTARTSYS when a signal came first.
 */
#define wait_event_interruptible_fs(wq, cond) ({                        \
	struct wait_entry _we;                                          \
	int _ret = 0;                                                   \
	might_sleep();                                                  \
	wait_add((wq), &_we);                                           \
	while (!(cond)) {                                               \
		if (current_signal_pending()) {                         \
			_ret = -ERESTARTSYS;                            \
			break;                                          \
		}                                                       \
		fs_unlock_to_sleep_at(LOCK_SITE);                       \
		wait_sleep_unless_woken(&_we);                          \
		fs_lock();                                              \
	}                                                               \
	wait_remove(&_we);                                              \
	_ret;                                                           \
})

/*
 * tmpfs (fs/tmpfs.c): a file system behind the VFS (tmpfs_super_ops and
 * its inodes' fs_ops) and the library computed file systems build their
 * trees with. Syscalls go through vfs_* (kevlar/vfs.h) instead.
 */
extern const struct super_ops tmpfs_super_ops;
/* The same trees without sizes for statfs (proc, sysfs, devpts, cgroup, ramfs, ...). */
extern const struct super_ops tmpfs_tree_super_ops;
void tmpfs_init(void);
struct dentry *tmpfs_root(void);
struct dentry *tmpfs_child(struct dentry *dir, const char *name, size_t len);
/* Create name in dir; -EEXIST, -ENOTDIR, -ENOMEM. Owner is the caller's fsuid. */
int tmpfs_create(struct dentry *dir, const char *name, uint32_t mode, struct dentry **out);
/* A new name for an existing inode (hard link). */
int tmpfs_link(struct dentry *dir, const char *name, struct inode *ino);
/* Remove a name (a directory must be empty; the caller checks). */
void tmpfs_unlink(struct dentry *d);
/* Move d to dir/name, replacing target (already checked) if not NULL. */
int tmpfs_rename(struct dentry *d, struct dentry *dir, const char *name,
		 struct dentry *target);
bool tmpfs_dir_empty(const struct dentry *dir);
/* Replace a file's contents with len bytes at data (borrowed, not copied). */
void tmpfs_set_borrowed(struct inode *ino, const void *data, size_t len);
int tmpfs_set_data(struct inode *ino, const void *data, size_t len);
/* Change the size; growth reads back zeros. -ENOSPC when memory is short. */
int tmpfs_truncate(struct inode *ino, uint64_t size);

/*
 * Regular file contents (fs/file_pages.c), under fs_lock. Pages belong to
 * the file (one reference); a mapping takes its own with page_ref_get.
 */
/*
 * The page for bytes [idx * PAGE_SIZE, +PAGE_SIZE), made present (read
 * through pc_ops->read_page when there is one); NULL and *err (-ENOSPC,
 * -EFBIG, or read_page's error, -EIO).
 */
void *file_page_get(struct inode *ino, uint64_t idx, int *err);
/* The page if cached, else NULL. */
void *file_page_lookup(const struct inode *ino, uint64_t idx);
/*
 * Bytes readable in place at pos, up to *len (at most the rest of the
 * page): the cached page, pc_ops->peek's bytes, or a page read in. NULL:
 * *len zeros when *err is 0, else the read failed (*err, -EIO).
 */
const char *file_peek(struct inode *ino, uint64_t pos, size_t *len, int *err);
/*
 * Copy up to iov_iter_count(to) bytes at pos through the cursor (stops at
 * the size): the count, or -errno (-EIO, -EFAULT) if none. read(2) and
 * file_read_kernel (a kernel buffer: exec, the ELF loader) are this.
 */
ssize_t file_pages_read(struct inode *ino, uint64_t pos, struct iov_iter *to);
ssize_t file_read_kernel(struct inode *ino, uint64_t pos, void *buf, size_t n);
/* Write n bytes at pos, growing the size, marking pages dirty: 0, -ENOSPC, -EFBIG, -EIO. */
int file_write_kernel(struct inode *ino, uint64_t pos, const void *buf, size_t n);
/* Set the size: pages past it are dropped (dirty or not), growth reads back zeros. Cannot fail. */
void file_pages_resize(struct inode *ino, uint64_t size);
/* Drop every page (dirty ones unwritten, see kevlar/page_cache.h) and the slots. */
void file_pages_release(struct inode *ino);
void inode_touch(struct inode *ino, bool modified);
/* A new inode outside the tree (pipes), owned by the caller (refcount 1). */
struct inode *inode_alloc(uint32_t mode);
/*
 * References to inodes (fs/icache.c) and dentries (fs/dcache.c). Getting
 * one needs only a reference already held or fs_lock() (the tree's own
 * references are stable under it); putting one needs fs_lock(), since the
 * last put frees: a dentry's drops its inode and parent, an inode's
 * leaves the inode cache and has its file system evict it.
 */
void iget(struct inode *ino);
void iput(struct inode *ino);
void dget(struct dentry *d);
void dput(struct dentry *d);

/* Path lookup (fs/path.c), relative to dirfd (AT_FDCWD: the cwd). */
#define LOOKUP_FOLLOW   (1u << 0)   /* follow a symlink in the last component */
#define LOOKUP_DIRECTORY (1u << 1)  /* the result must be a directory */
int path_walk(int dirfd, const char *path, unsigned flags, struct dentry **out);
/*
 * All but the last component: the parent directory and the last name
 * (NUL-terminated, at most NAME_MAX). *trailing_slash says "name/".
 * "." and ".." as last names are reported as -EBUSY for callers to map.
 */
int path_walk_parent(int dirfd, const char *path, struct dentry **parent,
		     char name[NAME_MAX + 1], bool *trailing_slash);
/* Old interface for exec: an inode, relative to the cwd. Caller holds fs_lock. */
int path_lookup(const char *path, unsigned flags, struct inode **out);
/* Copy a user path into a PATH_MAX kmalloc buffer: 0, -EFAULT, -ENAMETOOLONG, -ENOENT. */
long path_from_user(const char *upath, char **out);
/* Build the path of d as seen from root into buf (size bytes); length or -ERANGE. */
long dentry_path(struct dentry *d, struct dentry *root, char *buf, size_t size);

/* Permissions (fs/permission.c). mask is MAY_* (the access(2) bits). */
#define MAY_EXEC    1
#define MAY_WRITE   2
#define MAY_READ    4
int inode_permission(const struct inode *ino, int mask);
/* The caller may change ino's mode/times (owner or root). */
bool inode_owner_or_root(const struct inode *ino);
/*
 * Credentials the checks use. fs/permission.c has weak defaults (root,
 * group 0) that the credentials code overrides with real definitions.
 */
uint32_t cred_fsuid(void);
uint32_t cred_fsgid(void);
bool cred_in_group(uint32_t gid);

/* Per-process filesystem context (fs/fs_context.c). */
struct task;
struct dentry *task_cwd(struct task *t);
struct dentry *task_root(struct task *t);
/* fork: the child shares nothing but starts where the parent is. */
void fs_context_inherit(struct task *child, struct task *parent);
/* exit: drop the cwd and root references. */
void fs_context_release(struct task *t);

/* Initramfs (fs/initramfs.c): unpack a cpio newc archive into the tmpfs. */
int initramfs_unpack(const void *archive, size_t len);

/* Files and descriptors (fs/file.c) */
struct file *file_alloc(const struct file_ops *ops, struct inode *inode, unsigned flags);
void file_get(struct file *f);
/* Drop a reference; the last runs release, so never call it under fs_lock(). */
void file_put(struct file *f);
/* Drop the flock(2) lock f holds, if any (fs/sys_flock.c); on its last put. */
void flock_release(struct file *f);
struct fd_table *fd_table_create(void);
void fd_table_put(struct fd_table *t);
/*
 * Drop t's table (exit, a failed fork): the pointer is cleared under
 * fs_lock, since procfs and umount read other tasks' tables under it,
 * then the reference is put outside it. Not with interrupts off.
 */
void task_files_release(struct task *t);
/* A copy sharing the open files (fork); NULL when out of memory. */
struct fd_table *fd_table_clone(struct fd_table *t);
/*
 * Install f at the lowest free descriptor >= min; the table takes the
 * reference. -EMFILE past the caller's RLIMIT_NOFILE, -ENOMEM when the
 * table cannot grow.
 */
int fd_install(struct fd_table *t, struct file *f, int min, bool cloexec);
/* The current process's RLIMIT_NOFILE soft limit, at most NR_OPEN: descriptors are below it. */
unsigned fd_limit(void);
/* Make t's arrays hold descriptor fd (under fs_lock): 0 or -ENOMEM. */
int fd_table_reserve(struct fd_table *t, unsigned fd);
/*
 * The file at fd in the current task's table with a reference of the
 * caller's own, or NULL (-EBADF). A syscall holds it from start to finish,
 * so a close() by another thread sharing the table only takes the
 * descriptor away: the call goes on with its file, which is released when
 * the last reference goes (fdput). Not under fs_lock() (see file_put).
 */
struct file *fdget_raw(int fd);
/*
 * fdget_raw for calls that use the open file itself: an O_PATH
 * descriptor only names a file, so it is NULL (-EBADF) here, as with
 * Linux's fdget. fstat, fstatfs, dup, fcntl's descriptor commands, fchdir
 * and *at directories take fdget_raw / fd_lookup_locked.
 */
struct file *fdget(int fd);
void fdput(struct file *f);         /* NULL is fine */
/* Like fdget without a reference, for code under fs_lock(): valid until fs_unlock(). */
struct file *fd_lookup_locked(int fd);
/* fd names an open file now (it may be closed by the time the caller looks again). */
bool fd_is_open(int fd);
/* Take descriptor fd out of the current table: its file (the table's reference) or NULL. */
struct file *fd_remove(int fd);
/* Close descriptors marked close-on-exec (execve). */
void fd_close_on_exec(struct fd_table *t);
struct file *file_open_dentry(struct dentry *d, unsigned flags);
/* f is an open tmpfs regular file (mmap, sendfile). */
bool file_is_regular(const struct file *f);

/* Pipes (fs/pipe.c): a connected read end and write end. */
int pipe_create(unsigned flags, struct file **rd, struct file **wr);
/* Open one end of a FIFO inode (mkfifo). */
int fifo_open(struct inode *ino, unsigned flags, struct file **out);

/* The console as a file (drivers/console.c); from a device node, or not. */
struct file *console_open(void);
struct file *console_open_flags(struct inode *node, unsigned flags);

/* Open a character device node (drivers/chardev.c): 0, -ENXIO, -ENOMEM. */
int chardev_open(struct inode *ino, unsigned flags, struct file **out);

#endif
