#ifndef KEVLAR_PGRP_H
#define KEVLAR_PGRP_H

/*
 * Sessions and process groups (kernel/core/pgrp.c). Ids are the pid of
 * the leader, as on Linux; a group lives as long as some task carries its
 * id, so there is no separate object to free. The controlling terminal is
 * a property of the session; each task keeps a pointer to it (copied on
 * fork, dropped by setsid), and the tty knows its session and foreground
 * group.
 */

#include <kevlar/types.h>

struct tty;

struct task_job {
	int pgid;
	int sid;
	struct tty *ctty;       /* controlling terminal, NULL if none */
	bool execed;            /* setpgid on a child that has exec'd is EACCES */
};

struct task;
/* A task with this pid, or NULL; caller has interrupts off while it uses it. */
struct task *task_by_pid(int pid);
/* Some live (non-zombie) task is in process group pgid. */
bool pgrp_exists(int pgid);
/* Some live task in group pgid belongs to session sid. */
bool pgrp_in_session(int pgid, int sid);
/*
 * POSIX orphaned process group: no member has a parent in the same session
 * but a different group. Stop signals from the tty are not sent to such a
 * group (nobody could continue it), and SIGHUP+SIGCONT go to it when it
 * becomes orphaned with stopped members.
 */
bool pgrp_is_orphaned(int pgid);
/* On exit of t: groups that t's leaving orphans get SIGHUP + SIGCONT if stopped. */
void pgrp_exit_check(struct task *t);
/* Drop the controlling terminal of every task in session sid (TIOCNOTTY by the leader, hangup). */
void session_clear_ctty(int sid);

/* exit of a session leader: the terminal hangs up (SIGHUP+SIGCONT to its foreground group) and is freed for a new session. */
void tty_session_exit(struct task *leader);
/* Zombies whose parent wanted none (core/task_exit.c). */
void reap_detached(void);

#endif
