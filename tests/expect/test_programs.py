"""Our own test programs (rootfs/src/) run from the shell: each checks a kernel
area from user space and must pass on Linux too (static musl on x86_64, static
glibc on arm64)."""


def run_program(shell, name, timeout=120):
    out, status = shell.status(f"/usr/lib/kevlar/{name} > /tmp/{name}.out 2>&1", timeout)
    summary = shell.run(f"tail -n 1 /tmp/{name}.out")
    failures = shell.run(f"grep -E '^(FAIL|check failed)' /tmp/{name}.out | head -20")
    return status, summary, failures


def assert_passes(shell, name, ending):
    """The program exits 0 and its last line ends as it does on success
    (each program words its summary its own way)."""
    status, summary, failures = run_program(shell, name)
    assert status == 0 and summary.endswith(ending), f"{summary}\n{failures}"


def test_hello_sees_argv_envp_auxv(shell):
    assert_passes(shell, "hello", " 0 failed")


def test_sigtest_signals_and_process_control(shell):
    status, summary, failures = run_program(shell, "sigtest")
    assert status == 0 and "PASS" in summary, f"{summary}\n{failures}"


def test_glibc_programs_run_dynamically_linked(shell):
    out, status = shell.status("/usr/lib/kevlar/hello-glibc", 60)
    assert status == 0 and "hello from glibc: /usr/lib/kevlar/hello-glibc" in out \
        and "AT_BASE=set" in out and out.endswith(" heap"), out


def test_pthread_glibc_threads_and_process_directed_signals(shell):
    assert_passes(shell, "pthread-glibc", ": ok")


def test_memfile_memory_and_file_semantics(shell):
    assert_passes(shell, "memfile", " 0 failures")


def test_procself_proc_pid_files_and_thread_listing(shell):
    assert_passes(shell, "procself", " 0 failed")


def test_filemap_file_mappings_sendfile_and_scripts(shell):
    assert_passes(shell, "filemap", " 0 failures")


def test_unixstream_af_unix_stream_sockets(shell):
    assert_passes(shell, "unixstream", " 0 failures")


def test_sigfd_signalfd_records_poll_and_mask_changes(shell):
    assert_passes(shell, "sigfd", " 0 failures")


def test_flocktest_flock_owners_conflicts_and_wakeups(shell):
    assert_passes(shell, "flocktest", " 0 failures")


def test_cputime_times_getrusage_proc_and_children(shell):
    assert_passes(shell, "cputime", " 0 failures")


def test_scmrights_fd_passing_over_af_unix(shell):
    assert_passes(shell, "scmrights", " 0 failures")


# closeblock uses a pty; the initramfs has neither /dev/ptmx nor /dev/pts (as in test_pty.py).
PTY_SETUP = ("mkdir -p /dev/pts && { [ -e /dev/ptmx ] || mknod -m 666 /dev/ptmx c 5 2; } && "
             "{ mount -t devpts devpts /dev/pts 2>/dev/null; true; }")


def test_closeblock_close_while_another_thread_is_blocked_on_the_fd(shell):
    shell.run(PTY_SETUP)
    assert_passes(shell, "closeblock", " 0 failures")
    # Kevlar reports a reference count fault (lib/refcount.c) as "refcount: ...".
    faults = shell.run("dmesg | grep 'refcount: '")
    assert faults == "", faults


def test_timewait_clocks_deadlines_and_huge_timeouts(shell):
    assert_passes(shell, "timewait", " 0 failures")


def test_fdlimit_descriptor_limits_and_a_table_that_grows(shell):
    assert_passes(shell, "fdlimit", " 0 failures")


def test_bigreserve_large_prot_none_reservations_and_overcommit(shell):
    assert_passes(shell, "bigreserve", " 0 failures")


def test_mmstress_threads_changing_one_address_space(shell):
    assert_passes(shell, "mmstress", " 0 failures")


def test_procreap_proc_files_of_processes_and_threads_being_reaped(shell):
    # Readers of /proc/<pid>/... race processes and threads that exit and
    # are reaped: task and mm references keep what they read alive.
    assert_passes(shell, "procreap", " 0 failures")


def test_futexops_futex_words_on_pages_not_yet_there(shell):
    assert_passes(shell, "futexops", " 0 failures")


def test_opath_what_an_o_path_descriptor_may_do(shell):
    assert_passes(shell, "opath", " 0 failures")


def test_faultcodes_signal_code_and_address_of_a_faulting_access(shell):
    assert_passes(shell, "faultcodes", " 0 failures")
