/* tmpfs sizes and inode counts (kevlar/tmpfs_limits.h). Callers hold fs_lock. */
#include <kevlar/tmpfs_limits.h>
#include <kevlar/mount.h>
#include <kevlar/page.h>
#include <kevlar/string.h>
#include <uapi/errno.h>

/* A number with an optional binary suffix (k, m, g, t, p, e: Linux's memparse). */
static int parse_size(const char *s, size_t len, uint64_t *out, bool *percent)
{
	static const char suffixes[] = "kmgtpe";
	uint64_t v = 0;
	size_t i = 0;

	*percent = false;
	if (!len)
		return -EINVAL;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (!i)
		return -EINVAL;
	if (i < len && s[i] != '%') {
		const char *p = strchr(suffixes, s[i] | 0x20);

		if (!p || !*p)
			return -EINVAL;
		for (long n = p - suffixes + 1; n > 0; n--) {
			if (v > UINT64_MAX / 1024)
				return -EINVAL;
			v *= 1024;
		}
		i++;
	}
	if (i < len && s[i] == '%') {
		*percent = true;
		i++;
	}
	if (i != len)
		return -EINVAL;
	*out = v;
	return 0;
}

int tmpfs_limits_parse(const char *options, uint64_t total_pages, struct tmpfs_limits *out)
{
	const char *p = options;

	out->pages_set = out->inodes_set = false;
	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		uint64_t v;
		bool percent;
		int err;

		if (len > 5 && !strncmp(p, "size=", 5)) {
			if ((err = parse_size(p + 5, len - 5, &v, &percent)))
				return err;
			if (percent) {
				if (v > 100 * 1024)     /* Linux takes any percent; this bounds the product */
					return -EINVAL;
				out->max_pages = total_pages * v / 100;
			} else {
				out->max_pages = v / PAGE_SIZE + (v % PAGE_SIZE != 0);
			}
			out->pages_set = true;
		} else if (len > 10 && !strncmp(p, "nr_blocks=", 10)) {
			if ((err = parse_size(p + 10, len - 10, &v, &percent)) || percent)
				return -EINVAL;
			out->max_pages = v;
			out->pages_set = true;
		} else if (len > 10 && !strncmp(p, "nr_inodes=", 10)) {
			if ((err = parse_size(p + 10, len - 10, &v, &percent)) || percent)
				return -EINVAL;
			out->max_inodes = v;
			out->inodes_set = true;
		}
		p = end ? end + 1 : NULL;
	}
	return 0;
}

int tmpfs_limits_mount(struct superblock *sb, const char *options)
{
	struct tmpfs_limits l;
	int err = tmpfs_limits_parse(options, page_nr_total(), &l);

	if (err)
		return err;
	sb->max_pages = l.pages_set ? l.max_pages : page_nr_total() / 2;
	sb->max_inodes = l.inodes_set ? l.max_inodes : page_nr_total() / 2;
	return 0;
}

int tmpfs_limits_remount(struct superblock *sb, const char *options)
{
	struct tmpfs_limits l;
	int err = tmpfs_limits_parse(options, page_nr_total(), &l);

	if (err)
		return err;
	/* Linux: a limit below what is in use is EINVAL, and nothing changes. */
	if ((l.pages_set && l.max_pages && l.max_pages < sb->used_pages) ||
	    (l.inodes_set && l.max_inodes && l.max_inodes < sb->used_inodes))
		return -EINVAL;
	if (l.pages_set)
		sb->max_pages = l.max_pages;
	if (l.inodes_set)
		sb->max_inodes = l.max_inodes;
	return 0;
}

/* One more against a limit (0: none); false when it is reached. */
static bool charge(uint64_t *used, uint64_t max)
{
	if (max && *used >= max)
		return false;
	(*used)++;
	return true;
}

static void uncharge(uint64_t *used)
{
	if (*used)
		(*used)--;
}

bool sb_charge_page(struct superblock *sb) { return charge(&sb->used_pages, sb->max_pages); }
void sb_uncharge_page(struct superblock *sb) { uncharge(&sb->used_pages); }
bool sb_charge_inode(struct superblock *sb) { return charge(&sb->used_inodes, sb->max_inodes); }
void sb_uncharge_inode(struct superblock *sb) { uncharge(&sb->used_inodes); }
