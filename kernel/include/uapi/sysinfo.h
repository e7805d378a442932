#ifndef KEVLAR_UAPI_SYSINFO_H
#define KEVLAR_UAPI_SYSINFO_H

#include <kevlar/types.h>

/* struct sysinfo of sysinfo(2) on 64-bit Linux (linux/sysinfo.h): 112 bytes. */
struct sysinfo_user {
	long uptime;                /* seconds since boot */
	unsigned long loads[3];     /* 1, 5, 15 minute load, << 16 */
	unsigned long totalram;     /* in mem_unit units */
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	uint16_t procs;
	uint16_t pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	uint32_t mem_unit;
	char _f[0];                 /* 20 - 2*8 - 4 bytes of padding on 64-bit */
};

#endif
