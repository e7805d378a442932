#ifndef KEVLAR_FDT_H
#define KEVLAR_FDT_H

/*
 * A small reader for flattened device trees (the DTB a loader passes to
 * an arm64 kernel; format from the Devicetree Specification, chapter 5).
 * Read-only, no allocation; all values in the blob are big-endian.
 * Nodes are named by their offset in the structure block.
 */

#include <kevlar/types.h>

struct fdt {
	const uint8_t *blob;
	const uint8_t *structs;
	uint32_t structs_size;
	const char *strings;
	uint32_t strings_size;
	uint32_t total_size;
};

/* 0, or -EINVAL when the blob is not a DTB we can read. */
int fdt_open(struct fdt *f, const void *blob);

/*
 * The node after node in document order (node < 0: the root), with
 * *depth updated (root = 0); -1 at the end.
 */
int fdt_next_node(const struct fdt *f, int node, int *depth);
/* Node name with unit address ("memory@40000000"; "" for the root). */
const char *fdt_node_name(const struct fdt *f, int node);
/* A property's value and length in bytes, or NULL when absent. */
const void *fdt_prop(const struct fdt *f, int node, const char *name, int *len);
/* Node at an absolute path ("/chosen"), matching names without "@unit" too; -1 if none. */
int fdt_path(const struct fdt *f, const char *path);
/* First node after start (-1: from the root) whose "compatible" list has compat; -1 if none. */
int fdt_find_compatible(const struct fdt *f, int start, const char *compat);
bool fdt_is_compatible(const struct fdt *f, int node, const char *compat);

/* A value of cells 32-bit big-endian cells (1 or 2). */
uint64_t fdt_read_cells(const void *p, int cells);
uint32_t fdt_be32(const void *p);

#endif
