#ifndef KEVLAR_UAPI_MAGIC_H
#define KEVLAR_UAPI_MAGIC_H

/* statfs f_type of each filesystem (linux/magic.h). */
#define TMPFS_MAGIC             0x01021994
#define RAMFS_MAGIC             0x858458f6
#define PROC_SUPER_MAGIC        0x9fa0
#define SYSFS_MAGIC             0x62656572
#define DEVPTS_SUPER_MAGIC      0x1cd1
#define CGROUP_SUPER_MAGIC      0x27e0eb
#define CGROUP2_SUPER_MAGIC     0x63677270
#define SECURITYFS_MAGIC        0x73636673
#define PSTOREFS_MAGIC          0x6165676C
#define PIPEFS_MAGIC            0x50495045
#define SOCKFS_MAGIC            0x534F434B

#endif
