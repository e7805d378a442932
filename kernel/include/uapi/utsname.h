#ifndef KEVLAR_UAPI_UTSNAME_H
#define KEVLAR_UAPI_UTSNAME_H

/* struct new_utsname of uname(2) (linux/utsname.h). */
#define UTS_FIELD_LEN 65

struct new_utsname {
	char sysname[UTS_FIELD_LEN];
	char nodename[UTS_FIELD_LEN];
	char release[UTS_FIELD_LEN];
	char version[UTS_FIELD_LEN];
	char machine[UTS_FIELD_LEN];
	char domainname[UTS_FIELD_LEN];
};

#endif
