/*
 * The device registry: every character device chardev.c can open, with
 * the name and permissions devtmpfs gives its node (Linux's devtmpfs
 * makes nodes 0600 root:root unless the driver asks for more, as the
 * memory devices, tty and ptmx do).
 */
#include <kevlar/device.h>
#include <uapi/stat.h>

const struct device_node device_nodes[] = {
	{ "null", 0666, 1, 3 },
	{ "zero", 0666, 1, 5 },
	{ "full", 0666, 1, 7 },
	{ "random", 0666, 1, 8 },
	{ "urandom", 0666, 1, 9 },
	{ "tty", 0666, 5, 0 },
	{ "console", 0600, 5, 1 },
	{ "ptmx", 0666, 5, 2 },
#ifdef __aarch64__
	/*
	 * The serial line is a PL011, which Linux names ttyAMA0 (204:64).
	 * BusyBox init skips a respawn line whose tty it cannot access, so
	 * without this node getty never starts on arm64.
	 */
	{ "ttyAMA0", 0600, 204, 64 },
#else
	{ "ttyS0", 0600, 4, 64 },
#endif
};

const size_t nr_device_nodes = sizeof(device_nodes) / sizeof(device_nodes[0]);

const struct device_node *device_find(uint32_t major, uint32_t minor)
{
	for (size_t i = 0; i < nr_device_nodes; i++)
		if (device_nodes[i].major == major && device_nodes[i].minor == minor)
			return &device_nodes[i];
	return NULL;
}
