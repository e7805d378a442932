#ifndef KEVLAR_DEVICE_H
#define KEVLAR_DEVICE_H

/*
 * The character devices this kernel has (drivers/devices.c), by the
 * numbers Linux gives them (Documentation/admin-guide/devices.txt).
 * devtmpfs is filled from this table; /proc's fd links name devices
 * opened without a path through it.
 */

#include <kevlar/types.h>

struct device_node {
	const char *name;           /* under /dev */
	uint32_t mode;              /* permissions devtmpfs gives the node */
	uint32_t major, minor;
};

extern const struct device_node device_nodes[];
extern const size_t nr_device_nodes;

/* The registry entry for (major, minor), or NULL. */
const struct device_node *device_find(uint32_t major, uint32_t minor);

#endif
