/*
 * Unix permission checks, as Linux does them: owner bits if the fsuid
 * owns the file, else group bits if the fsgid or a supplementary group
 * matches, else the other bits. Root (fsuid 0, standing in for
 * CAP_DAC_OVERRIDE) may read and write anything, search any directory,
 * but execute a file only if some x bit is set.
 */
#include <kevlar/fs.h>
#include <uapi/errno.h>

/* Defaults until the credentials code defines these: everyone is root. */
__attribute__((weak)) uint32_t cred_fsuid(void)
{
	return 0;
}

__attribute__((weak)) uint32_t cred_fsgid(void)
{
	return 0;
}

__attribute__((weak)) bool cred_in_group(uint32_t gid)
{
	return gid == cred_fsgid();
}

int inode_permission(const struct inode *ino, int mask)
{
	uint32_t uid = cred_fsuid(), mode = ino->mode, bits;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (uid == 0) {
		if (!(mask & MAY_EXEC) || S_ISDIR(mode) || (mode & 0111))
			return 0;
		return -EACCES;
	}
	if (uid == ino->uid)
		bits = (mode >> 6) & 7;
	else if (cred_in_group(ino->gid))
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	return (mask & ~bits) ? -EACCES : 0;
}

bool inode_owner_or_root(const struct inode *ino)
{
	uint32_t uid = cred_fsuid();

	return uid == 0 || uid == ino->uid;
}
