/*
 * Flattened device tree reader. The structure block is a token stream
 * (BEGIN_NODE name, PROP len nameoff value, END_NODE, NOP, END), every
 * item padded to 4 bytes. Bounds are checked against the header's sizes
 * so a damaged blob ends a walk instead of faulting.
 */
#include <kevlar/fdt.h>
#include <kevlar/string.h>
#include <uapi/errno.h>

#define FDT_MAGIC       0xd00dfeed
#define FDT_BEGIN_NODE  1
#define FDT_END_NODE    2
#define FDT_PROP        3
#define FDT_NOP         4
#define FDT_END         9
/* We read version 17 (and 16, which it stays compatible with). */
#define FDT_LAST_COMP_MAX 17

uint32_t fdt_be32(const void *p)
{
	const uint8_t *b = p;

	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

uint64_t fdt_read_cells(const void *p, int cells)
{
	const uint8_t *b = p;
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = (v << 32) | fdt_be32(b + 4 * i);
	return v;
}

int fdt_open(struct fdt *f, const void *blob)
{
	const uint8_t *b = blob;
	uint32_t total, off_struct, off_strings;

	if (!blob || fdt_be32(b) != FDT_MAGIC || fdt_be32(b + 24) > FDT_LAST_COMP_MAX)
		return -EINVAL;
	total = fdt_be32(b + 4);
	off_struct = fdt_be32(b + 8);
	off_strings = fdt_be32(b + 12);
	f->blob = b;
	f->total_size = total;
	f->structs = b + off_struct;
	f->structs_size = fdt_be32(b + 36);
	f->strings = (const char *)b + off_strings;
	f->strings_size = fdt_be32(b + 32);
	if (off_struct + f->structs_size > total || off_strings + f->strings_size > total)
		return -EINVAL;
	return 0;
}

static uint32_t token_at(const struct fdt *f, int off)
{
	if (off < 0 || (uint32_t)off + 4 > f->structs_size)
		return FDT_END;
	return fdt_be32(f->structs + off);
}

static int align4(int v)
{
	return (v + 3) & ~3;
}

/* Offset of the token after the one at off. */
static int skip_token(const struct fdt *f, int off)
{
	switch (token_at(f, off)) {
	case FDT_BEGIN_NODE: {
		const char *name = (const char *)f->structs + off + 4;
		size_t max = f->structs_size - off - 4;

		return off + 4 + align4(strnlen(name, max) + 1);
	}
	case FDT_PROP:
		return off + 12 + align4(fdt_be32(f->structs + off + 4));
	case FDT_END_NODE:
	case FDT_NOP:
		return off + 4;
	default:
		return -1;
	}
}

int fdt_next_node(const struct fdt *f, int node, int *depth)
{
	int off;

	if (node < 0) {
		off = 0;
		while (token_at(f, off) == FDT_NOP)
			off += 4;
		*depth = 0;
		return token_at(f, off) == FDT_BEGIN_NODE ? off : -1;
	}
	off = skip_token(f, node);
	while (off >= 0) {
		switch (token_at(f, off)) {
		case FDT_BEGIN_NODE:
			(*depth)++;
			return off;
		case FDT_END_NODE:
			(*depth)--;
			break;
		case FDT_END:
			return -1;
		default:
			break;
		}
		off = skip_token(f, off);
	}
	return -1;
}

const char *fdt_node_name(const struct fdt *f, int node)
{
	return (const char *)f->structs + node + 4;
}

const void *fdt_prop(const struct fdt *f, int node, const char *name, int *len)
{
	int off = skip_token(f, node);

	while (off >= 0 && token_at(f, off) != FDT_BEGIN_NODE && token_at(f, off) != FDT_END_NODE) {
		if (token_at(f, off) == FDT_PROP) {
			uint32_t plen = fdt_be32(f->structs + off + 4);
			uint32_t nameoff = fdt_be32(f->structs + off + 8);

			if (nameoff < f->strings_size &&
			    strcmp(f->strings + nameoff, name) == 0 &&
			    (uint32_t)off + 12 + plen <= f->structs_size) {
				if (len)
					*len = (int)plen;
				return f->structs + off + 12;
			}
		}
		off = skip_token(f, off);
	}
	return NULL;
}

/* Does a node name match one path component (with or without "@unit")? */
static bool name_matches(const char *name, const char *comp, size_t n)
{
	return strncmp(name, comp, n) == 0 && (name[n] == '\0' || name[n] == '@');
}

int fdt_path(const struct fdt *f, const char *path)
{
	int depth = 0, node = fdt_next_node(f, -1, &depth), want = 0;

	while (*path == '/')
		path++;
	while (node >= 0 && *path) {
		const char *end = path;
		size_t n;

		while (*end && *end != '/')
			end++;
		n = end - path;
		/* Search the children (depth want + 1) of the node matched so far. */
		for (node = fdt_next_node(f, node, &depth); node >= 0 && depth > want;
		     node = fdt_next_node(f, node, &depth))
			if (depth == want + 1 && name_matches(fdt_node_name(f, node), path, n))
				break;
		if (node < 0 || depth <= want)
			return -1;
		want++;
		path = end;
		while (*path == '/')
			path++;
	}
	return node;
}

bool fdt_is_compatible(const struct fdt *f, int node, const char *compat)
{
	int len;
	const char *p = fdt_prop(f, node, "compatible", &len);

	/* A string list: NUL-terminated strings back to back. */
	while (p && len > 0) {
		size_t n = strnlen(p, len);

		if (strcmp(p, compat) == 0)
			return true;
		p += n + 1;
		len -= n + 1;
	}
	return false;
}

int fdt_find_compatible(const struct fdt *f, int start, const char *compat)
{
	int depth = 0, node = start < 0 ? fdt_next_node(f, -1, &depth) : fdt_next_node(f, start, &depth);

	for (; node >= 0; node = fdt_next_node(f, node, &depth))
		if (fdt_is_compatible(f, node, compat))
			return node;
	return -1;
}
