#ifndef KEVLAR_SIGNAL_H
#define KEVLAR_SIGNAL_H

#include <uapi/signal.h>

/*
 * Signal delivery is not implemented yet: a fatal signal ends the current
 * task with a wait status saying "killed by sig", as the default action
 * would. Does not return.
 */
__attribute__((noreturn)) void task_kill_by_signal(int sig);

#endif
