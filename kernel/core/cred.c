/*
 * Credentials: the set*id family with Linux's permission rules, and the
 * filesystem's view of them. "Privileged" means euid 0 (CAP_SETUID and
 * CAP_SETGID stand in for all capabilities until those exist). The
 * filesystem uid follows the effective uid on every change, as on Linux.
 */
#include <kevlar/cred.h>
#include <kevlar/fs.h>
#include <kevlar/sched.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>

#define ID_UNCHANGED 0xffffffffu        /* (uid_t)-1 */

bool cred_is_root(const struct task *t)
{
	return t->cred.euid == 0;
}

bool cred_may_signal(const struct task *s, const struct task *t)
{
	return s->cred.euid == 0 ||
	       s->cred.uid == t->cred.uid || s->cred.uid == t->cred.suid ||
	       s->cred.euid == t->cred.uid || s->cred.euid == t->cred.suid;
}

uint32_t cred_fsuid(void)
{
	return current_task()->cred.fsuid;
}

uint32_t cred_fsgid(void)
{
	return current_task()->cred.fsgid;
}

bool cred_in_group(uint32_t gid)
{
	const struct cred *c = &current_task()->cred;

	if (gid == c->fsgid)
		return true;
	for (int i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

/*
 * The uid and gid rules are the same over different fields, so they work
 * on an array of the four ids: real, effective, saved, filesystem.
 */
enum { R, E, S, FS };

static bool is_one_of(uint32_t id, const uint32_t ids[4])
{
	return id == ids[R] || id == ids[E] || id == ids[S];
}

static long set_id(uint32_t ids[4], uint32_t id, bool priv)
{
	if (priv) {
		ids[R] = ids[E] = ids[S] = ids[FS] = id;
	} else if (id == ids[R] || id == ids[S]) {
		ids[E] = ids[FS] = id;
	} else {
		return -EPERM;
	}
	return 0;
}

static long set_re_id(uint32_t ids[4], uint32_t r, uint32_t e, bool priv)
{
	uint32_t old_r = ids[R];

	if (!priv) {
		if (r != ID_UNCHANGED && r != ids[R] && r != ids[E])
			return -EPERM;
		if (e != ID_UNCHANGED && !is_one_of(e, ids))
			return -EPERM;
	}
	if (r != ID_UNCHANGED)
		ids[R] = r;
	if (e != ID_UNCHANGED)
		ids[E] = e;
	/* The saved id follows the effective one when the real id was touched or euid left it. */
	if (r != ID_UNCHANGED || (e != ID_UNCHANGED && e != old_r))
		ids[S] = ids[E];
	ids[FS] = ids[E];
	return 0;
}

static long set_res_id(uint32_t ids[4], uint32_t r, uint32_t e, uint32_t s, bool priv)
{
	if (!priv && ((r != ID_UNCHANGED && !is_one_of(r, ids)) ||
		      (e != ID_UNCHANGED && !is_one_of(e, ids)) ||
		      (s != ID_UNCHANGED && !is_one_of(s, ids))))
		return -EPERM;
	if (r != ID_UNCHANGED)
		ids[R] = r;
	if (e != ID_UNCHANGED)
		ids[E] = e;
	if (s != ID_UNCHANGED)
		ids[S] = s;
	ids[FS] = ids[E];
	return 0;
}

static void load(uint32_t ids[4], bool gid)
{
	const struct cred *c = &current_task()->cred;

	ids[R] = gid ? c->gid : c->uid;
	ids[E] = gid ? c->egid : c->euid;
	ids[S] = gid ? c->sgid : c->suid;
	ids[FS] = gid ? c->fsgid : c->fsuid;
}

static long store(long err, const uint32_t ids[4], bool gid)
{
	struct cred *c = &current_task()->cred;

	if (err)
		return err;
	if (gid) {
		c->gid = ids[R]; c->egid = ids[E]; c->sgid = ids[S]; c->fsgid = ids[FS];
	} else {
		c->uid = ids[R]; c->euid = ids[E]; c->suid = ids[S]; c->fsuid = ids[FS];
	}
	return 0;
}

#define PRIV (current_task()->cred.euid == 0)

long sys_setuid(uint32_t uid)
{
	uint32_t ids[4];

	load(ids, false);
	return store(set_id(ids, uid, PRIV), ids, false);
}

long sys_setgid(uint32_t gid)
{
	uint32_t ids[4];

	load(ids, true);
	return store(set_id(ids, gid, PRIV), ids, true);
}

long sys_setreuid(uint32_t r, uint32_t e)
{
	uint32_t ids[4];

	load(ids, false);
	return store(set_re_id(ids, r, e, PRIV), ids, false);
}

long sys_setregid(uint32_t r, uint32_t e)
{
	uint32_t ids[4];

	load(ids, true);
	return store(set_re_id(ids, r, e, PRIV), ids, true);
}

long sys_setresuid(uint32_t r, uint32_t e, uint32_t s)
{
	uint32_t ids[4];

	load(ids, false);
	return store(set_res_id(ids, r, e, s, PRIV), ids, false);
}

long sys_setresgid(uint32_t r, uint32_t e, uint32_t s)
{
	uint32_t ids[4];

	load(ids, true);
	return store(set_res_id(ids, r, e, s, PRIV), ids, true);
}

static long get_res(uint32_t *ur, uint32_t *ue, uint32_t *us, bool gid)
{
	uint32_t ids[4];

	load(ids, gid);
	if (put_user(ids[R], ur) || put_user(ids[E], ue) || put_user(ids[S], us))
		return -EFAULT;
	return 0;
}

long sys_getresuid(uint32_t *r, uint32_t *e, uint32_t *s)
{
	return get_res(r, e, s, false);
}

long sys_getresgid(uint32_t *r, uint32_t *e, uint32_t *s)
{
	return get_res(r, e, s, true);
}

/* setfsuid/setfsgid return the old value whether or not the change was allowed. */
static long set_fs_id(uint32_t id, bool gid)
{
	uint32_t ids[4];
	uint32_t old;

	load(ids, gid);
	old = ids[FS];
	if (id != ID_UNCHANGED && (PRIV || is_one_of(id, ids) || id == ids[FS])) {
		ids[FS] = id;
		store(0, ids, gid);
	}
	return old;
}

long sys_setfsuid(uint32_t uid)
{
	return set_fs_id(uid, false);
}

long sys_setfsgid(uint32_t gid)
{
	return set_fs_id(gid, true);
}

long sys_getuid(void) { return current_task()->cred.uid; }
long sys_geteuid(void) { return current_task()->cred.euid; }
long sys_getgid(void) { return current_task()->cred.gid; }
long sys_getegid(void) { return current_task()->cred.egid; }

long sys_getgroups(int size, uint32_t *list)
{
	const struct cred *c = &current_task()->cred;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if (size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(list, c->groups, c->ngroups * sizeof(uint32_t)))
		return -EFAULT;
	return c->ngroups;
}

long sys_setgroups(int size, const uint32_t *list)
{
	struct cred *c = &current_task()->cred;
	uint32_t groups[CRED_NGROUPS_MAX];

	if (!PRIV)
		return -EPERM;
	if (size < 0 || size > CRED_NGROUPS_MAX)
		return -EINVAL;
	if (copy_from_user(groups, list, size * sizeof(uint32_t)))
		return -EFAULT;
	/* Sorted, as Linux keeps them (getgroups shows that order). */
	for (int i = 1; i < size; i++)
		for (int j = i; j > 0 && groups[j - 1] > groups[j]; j--) {
			uint32_t tmp = groups[j];

			groups[j] = groups[j - 1];
			groups[j - 1] = tmp;
		}
	for (int i = 0; i < size; i++)
		c->groups[i] = groups[i];
	c->ngroups = size;
	return 0;
}
