#ifndef KEVLAR_SELFTEST_H
#define KEVLAR_SELFTEST_H

/*
 * In-kernel self-tests, chosen with kevlar.selftest=NAME[,NAME] on the
 * command line (read from the raw line, since the parser reserves kevlar.*
 * names): "mm" exhausts and restores the page allocator; "fault" makes a
 * deliberate kernel fault to exercise the panic path; "locks" (with
 * kevlar.debug=locks) breaks the locking rules on purpose and checks the
 * lock checker reports each break once.
 */
void selftests_run(const char *raw_cmdline);
/*
 * The ones that need a task that may sleep: run by pid 1 (kernel_init)
 * before it starts init. "locks": mutex contention between two threads.
 */
void selftests_run_late(const char *raw_cmdline);

#endif
