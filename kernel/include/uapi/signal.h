#ifndef KEVLAR_UAPI_SIGNAL_H
#define KEVLAR_UAPI_SIGNAL_H

/* Signal numbers (x86_64 and arm64 share them; asm-generic/signal.h). */
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
#define SIGCHLD     17
#define SIGCONT     18
#define SIGSTOP     19

#endif
