"""Our own test programs (rootfs/src/) run from the shell: each checks a kernel
area from user space and must pass on Linux too (static musl on x86_64, static
glibc on arm64)."""


def run_program(shell, name, timeout=120):
    out, status = shell.status(f"/usr/lib/kevlar/{name} > /tmp/{name}.out 2>&1", timeout)
    summary = shell.run(f"tail -n 1 /tmp/{name}.out")
    failures = shell.run(f"grep -E '^(FAIL|check failed)' /tmp/{name}.out | head -20")
    return status, summary, failures


def test_hello_sees_argv_envp_auxv(shell):
    status, summary, failures = run_program(shell, "hello")
    assert status == 0 and summary.endswith(" 0 failed"), f"{summary}\n{failures}"


def test_sigtest_signals_and_process_control(shell):
    status, summary, failures = run_program(shell, "sigtest")
    assert status == 0 and "PASS" in summary, f"{summary}\n{failures}"


def test_glibc_programs_run_dynamically_linked(shell):
    out, status = shell.status("/usr/lib/kevlar/hello-glibc", 60)
    assert status == 0 and "hello from glibc: /usr/lib/kevlar/hello-glibc" in out \
        and "AT_BASE=set" in out and out.endswith(" heap"), out


def test_pthread_glibc_threads_and_process_directed_signals(shell):
    status, summary, failures = run_program(shell, "pthread-glibc")
    assert status == 0 and summary.endswith(": ok"), f"{summary}\n{failures}"


def test_memfile_memory_and_file_semantics(shell):
    status, summary, failures = run_program(shell, "memfile")
    assert status == 0 and summary.endswith(" 0 failures"), f"{summary}\n{failures}"


def test_procself_proc_pid_files_and_thread_listing(shell):
    status, summary, failures = run_program(shell, "procself")
    assert status == 0 and summary.endswith(" 0 failed"), f"{summary}\n{failures}"


def test_unixstream_af_unix_stream_sockets(shell):
    status, summary, failures = run_program(shell, "unixstream")
    assert status == 0 and summary.endswith(" 0 failures"), f"{summary}\n{failures}"


def test_sigfd_signalfd_records_poll_and_mask_changes(shell):
    status, summary, failures = run_program(shell, "sigfd")
    assert status == 0 and summary.endswith(" 0 failures"), f"{summary}\n{failures}"


def test_flocktest_flock_owners_conflicts_and_wakeups(shell):
    status, summary, failures = run_program(shell, "flocktest")
    assert status == 0 and summary.endswith(" 0 failures"), f"{summary}\n{failures}"


def test_cputime_times_getrusage_proc_and_children(shell):
    status, summary, failures = run_program(shell, "cputime")
    assert status == 0 and summary.endswith(" 0 failures"), f"{summary}\n{failures}"


def test_scmrights_fd_passing_over_af_unix(shell):
    status, summary, failures = run_program(shell, "scmrights")
    assert status == 0 and summary.endswith(" 0 failures"), f"{summary}\n{failures}"
