#ifndef KEVLAR_UTS_H
#define KEVLAR_UTS_H

/* The system's names (core/sys_info.c): uname(2), /proc/sys/kernel/. */

#include <uapi/utsname.h>

#define UTS_RELEASE     "6.1.0-kevlar"
#define UTS_SYSNAME     "Linux"
#define UTS_VERSION     "#1 Kevlar " KEVLAR_VERSION

/* sethostname/setdomainname and /proc/sys/kernel/{hostname,domainname}. */
extern char uts_nodename[UTS_FIELD_LEN];
extern char uts_domainname[UTS_FIELD_LEN];
/* Set one of them from len bytes (no NUL needed): 0 or -EINVAL. */
int uts_set_name(char *field, const char *name, size_t len);

#endif
