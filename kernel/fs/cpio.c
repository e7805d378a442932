/*
 * newc cpio reader for the initramfs. Each entry is a 110-byte ASCII
 * header (6-byte magic, then 13 fields of 8 hex digits), the file name
 * with its NUL, padding to a multiple of 4, the data, padding to 4.
 * The archive comes from the boot loader and is untrusted: every offset is
 * checked against len before use.
 */

#include <kevlar/cpio.h>
#include <kevlar/string.h>
#include <uapi/errno.h>

#define CPIO_HEADER_SIZE  110
#define CPIO_MAGIC_LEN    6
#define CPIO_FIELDS       13
#define CPIO_TRAILER      "TRAILER!!!"

/* Header field order after the magic. */
enum {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK,
};

static bool magic_ok(const char *p)
{
	/* "070702" is the same layout plus a checksum we do not verify. */
	return memcmp(p, "070701", CPIO_MAGIC_LEN) == 0 ||
	       memcmp(p, "070702", CPIO_MAGIC_LEN) == 0;
}

bool cpio_looks_valid(const void *archive, size_t len)
{
	return archive && len >= CPIO_HEADER_SIZE && magic_ok(archive);
}

static int parse_hex8(const char *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		char c = p[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/*
 * Decode the entry at base+off (off < len). On success stores the entry
 * and the offset of the next header, which may lie past len.
 */
static int parse_entry(const char *base, size_t len, size_t off,
		       struct cpio_entry *e, size_t *next)
{
	const char *h = base + off;
	uint32_t f[CPIO_FIELDS];
	size_t name_off, data_off;

	if (len - off < CPIO_HEADER_SIZE || !magic_ok(h))
		return -EINVAL;
	for (int i = 0; i < CPIO_FIELDS; i++) {
		if (parse_hex8(h + CPIO_MAGIC_LEN + 8 * i, &f[i]) != 0)
			return -EINVAL;
	}

	name_off = off + CPIO_HEADER_SIZE;
	if (f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > len - name_off)
		return -EINVAL;
	e->name = base + name_off;
	e->namelen = f[F_NAMESIZE] - 1;
	/* The name must end exactly at its NUL, with no NUL inside. */
	if (e->name[e->namelen] != '\0' || strnlen(e->name, e->namelen) != e->namelen)
		return -EINVAL;

	e->ino = f[F_INO];
	e->mode = f[F_MODE];
	e->uid = f[F_UID];
	e->gid = f[F_GID];
	e->nlink = f[F_NLINK];
	e->mtime = f[F_MTIME];
	e->devmajor = f[F_DEVMAJOR];
	e->devminor = f[F_DEVMINOR];
	e->rdevmajor = f[F_RDEVMAJOR];
	e->rdevminor = f[F_RDEVMINOR];
	e->size = f[F_FILESIZE];
	e->data = NULL;

	/* Sizes are at most 2^32 - 1, so these sums cannot overflow size_t. */
	data_off = ALIGN_UP(name_off + f[F_NAMESIZE], (size_t)4);
	if (e->size > 0) {
		if (data_off > len || e->size > len - data_off)
			return -EINVAL;
		e->data = base + data_off;
	}
	*next = ALIGN_UP(data_off + e->size, (size_t)4);
	return 0;
}

int cpio_iterate(const void *archive, size_t len,
		 int (*cb)(const struct cpio_entry *e, void *arg), void *arg)
{
	const char *base = archive;
	size_t off = 0;

	if (!archive)
		return -EINVAL;
	while (off < len) {
		struct cpio_entry e;
		size_t next;
		int ret = parse_entry(base, len, off, &e, &next);

		if (ret != 0)
			return ret;
		/* The trailer may be the very last bytes, without padding. */
		if (e.namelen == sizeof(CPIO_TRAILER) - 1 &&
		    memcmp(e.name, CPIO_TRAILER, e.namelen) == 0)
			return 0;
		ret = cb(&e, arg);
		if (ret != 0)
			return ret;
		off = next;
	}
	return -EINVAL;   /* ran out of archive before the trailer */
}
