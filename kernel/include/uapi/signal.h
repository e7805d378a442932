#ifndef KEVLAR_UAPI_SIGNAL_H
#define KEVLAR_UAPI_SIGNAL_H

/*
 * Signal ABI shared by x86_64 and arm64 (asm-generic/signal.h,
 * signal-defs.h, siginfo.h). The x86_64 signal frame (sigcontext,
 * ucontext) is in arch/x86_64/include/arch/sigframe.h.
 */

#include <kevlar/types.h>

#define SIGHUP      1
#define SIGINT      2
#define SIGQUIT     3
#define SIGILL      4
#define SIGTRAP     5
#define SIGABRT     6
#define SIGBUS      7
#define SIGFPE      8
#define SIGKILL     9
#define SIGUSR1     10
#define SIGSEGV     11
#define SIGUSR2     12
#define SIGPIPE     13
#define SIGALRM     14
#define SIGTERM     15
#define SIGSTKFLT   16
#define SIGCHLD     17
#define SIGCONT     18
#define SIGSTOP     19
#define SIGTSTP     20
#define SIGTTIN     21
#define SIGTTOU     22
#define SIGURG      23
#define SIGXCPU     24
#define SIGXFSZ     25
#define SIGVTALRM   26
#define SIGPROF     27
#define SIGWINCH    28
#define SIGIO       29
#define SIGPWR      30
#define SIGSYS      31
#define SIGRTMIN    32
#define _NSIG       64      /* signals 1.._NSIG; the kernel sigset is one u64 */

/* sigaction sa_flags */
#define SA_NOCLDSTOP    0x00000001u
#define SA_NOCLDWAIT    0x00000002u
#define SA_SIGINFO      0x00000004u
#define SA_RESTORER     0x04000000u     /* x86_64: sa_restorer is valid */
#define SA_ONSTACK      0x08000000u
#define SA_RESTART      0x10000000u
#define SA_NODEFER      0x40000000u
#define SA_RESETHAND    0x80000000u

#define SIG_BLOCK       0
#define SIG_UNBLOCK     1
#define SIG_SETMASK     2

#define SIG_DFL         0UL
#define SIG_IGN         1UL

/* sigaltstack ss_flags */
#define SS_ONSTACK      1
#define SS_DISABLE      2
#define SS_AUTODISARM   (1u << 31)
#define MINSIGSTKSZ     2048

/* si_code values */
#define SI_USER         0
#define SI_KERNEL       0x80
#define SI_QUEUE        (-1)
#define SI_TIMER        (-2)
#define SI_TKILL        (-6)
#define ILL_ILLOPC      1
#define FPE_INTDIV      1
#define FPE_FLTINV      7
#define SEGV_MAPERR     1
#define SEGV_ACCERR     2
#define BUS_ADRALN      1
#define BUS_ADRERR      2
#define BUS_OBJERR      3
#define TRAP_BRKPT      1
#define CLD_EXITED      1
#define CLD_KILLED      2
#define CLD_DUMPED      3
#define CLD_STOPPED     5
#define CLD_CONTINUED   6

typedef uint64_t ksigset_t;

/* struct sigaction as rt_sigaction(2) takes it on x86_64 (32 bytes). */
struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	ksigset_t mask;
};

struct k_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

/*
 * siginfo_t: 128 bytes; the union starts at offset 16 (after signo,
 * errno, code and padding on 64-bit). Only the members we fill are named.
 */
struct siginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t pad0;
	union {
		struct {                /* kill, tkill, SIGCHLD */
			int32_t pid;
			uint32_t uid;
			int32_t status;     /* SIGCHLD: exit code or signal */
			int32_t pad1;
			int64_t utime, stime;
		} proc;
		struct {                /* SIGSEGV, SIGBUS, SIGILL, SIGFPE */
			uint64_t addr;
		} fault;
		struct {                /* POSIX timers, alarm */
			int32_t tid, overrun;
			uint64_t value;
		} timer;
		uint8_t raw[112];
	};
};

#endif
