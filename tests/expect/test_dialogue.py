"""The shell dialogue: the same commands on every kernel, the same answers.

Each answer below is what Debian's Linux gives on the same rootfs (the suite
runs there too, so a wrong expectation fails on Linux first). Answers that
depend on the board, like the machine name or the console device, are
computed from it. Commands are self-contained: each one sets up what it reads.
"""

import re

import pytest

MACHINE = {"x86_64": "x86_64", "arm64": "aarch64"}
CONSOLE = {"x86_64": "/dev/ttyS0", "arm64": "/dev/ttyAMA0"}

# (command, expected output): a string is compared exactly; a compiled regex
# must match the whole output; a function of the arch returns the string.
DIALOGUE = [
    # control flow and expansion
    ("for i in 1 2 3; do echo n$i; done", "n1\nn2\nn3"),
    ("x=5; while [ $x -gt 0 ]; do x=$((x-1)); done; echo $x", "0"),
    ("case foo in f*) echo match;; *) echo no;; esac", "match"),
    ("echo $((1<<10)) $((7%3)) $((-4/2))", "1024 1 -2"),
    ("echo {a,b}", "{a,b}"),
    ("printf '%s-%d-%x\\n' x 42 255", "x-42-ff"),
    ("set -- a b c; echo $# $2", "3 b"),
    ("f() { echo in-f $1; return 4; }; f z; echo $?", "in-f z\n4"),
    # exit statuses
    ("sh -c 'exit 7'; echo $?", "7"),
    ("(exit 3); echo $?", "3"),
    ("false | true; echo $?", "0"),
    ("ls /nonexistent; echo $?", "ls: /nonexistent: No such file or directory\n1"),
    ("timeout 1 sleep 5; echo $?", re.compile(r"(Terminated\n)?143")),
    # redirections and pipes
    ("echo abc > /tmp/r1; echo def >> /tmp/r1; cat /tmp/r1", "abc\ndef"),
    ("wc -l < /tmp/r1", "2"),
    ("(echo to-err >&2) 2>/dev/null; echo ok", "ok"),
    ("(echo out; echo err >&2) 2>&1 | sort", "err\nout"),
    ("dd if=/dev/zero bs=1M count=8 2>/dev/null | wc -c", "8388608"),
    ("yes | head -3", "y\ny\ny"),
    ("seq 5 | tac | head -2", "5\n4"),
    ("printf 'b\\na\\nc\\n' | sort -r", "c\nb\na"),
    ("echo hello | sed 's/l/L/g'", "heLLo"),
    ("echo 'a b c' | awk '{print $2}'", "b"),
    ("printf abc | tr a-z A-Z", "ABC"),
    ("echo 1 2 3 | xargs -n1 echo n", "n 1\nn 2\nn 3"),
    ("rm -f /tmp/ff; mkfifo /tmp/ff; (echo via-fifo > /tmp/ff &); cat /tmp/ff", "via-fifo"),
    # files and directories
    ("mkdir -p /tmp/p/q && cd /tmp/p/q && pwd && cd .. && pwd && cd /", "/tmp/p/q\n/tmp/p"),
    ("rm -f /tmp/f1 /tmp/f2; touch /tmp/f1 && mv /tmp/f1 /tmp/f2 && ls /tmp/f1 /tmp/f2 2>&1",
     "ls: /tmp/f1: No such file or directory\n/tmp/f2"),
    ("rm -rf /tmp/la; mkdir /tmp/la; touch /tmp/la/x; ls -la /tmp/la | tail -n +2 | "
     "awk '{print $1, $NF}'", "drwxr-xr-x .\ndrwxrwxrwt ..\n-rw-r--r-- x"),
    ("umask 027; rm -f /tmp/um; touch /tmp/um; stat -c %a /tmp/um; umask 022", "640"),
    ("rm -f /tmp/um2; ln /tmp/um /tmp/um2; stat -c %h /tmp/um", "2"),
    ("ln -sf /etc/hostname /tmp/lnk; readlink /tmp/lnk; cat /tmp/lnk", "/etc/hostname\nkevlar"),
    ("wc -c < /etc/hostname", "7"),
    ("printf '#!/bin/sh\\necho script \"$1\" $#\\n' > /tmp/s.sh; chmod +x /tmp/s.sh; "
     "/tmp/s.sh 'a b'", "script a b 1"),
    ("printf '#!/bin/nonexistent\\n' > /tmp/bad.sh; chmod +x /tmp/bad.sh; /tmp/bad.sh; echo $?",
     re.compile(r".*/tmp/bad\.sh: not found\n127")),
    ("echo x > /dev/full; echo $?", "sh: write error: No space left on device\n1"),
    ("dd if=/dev/zero of=/dev/full bs=1 count=1 2>&1 | head -1",
     "dd: error writing '/dev/full': No space left on device"),
    ("find /usr/lib/kevlar -name shell-init", "/usr/lib/kevlar/shell-init"),
    ("basename /a/b/c.txt .txt; dirname /a/b/c.txt", "c\n/a/b"),
    # statfs: in-memory trees that count nothing report zeros, tmpfs its size
    ("mkdir -p /tmp/ss /tmp/ps; mount -t sysfs none /tmp/ss; mount -t devpts none /tmp/ps; "
     "for m in /proc /tmp/ss /tmp/ps; do stat -f -c '%t %b %c' $m; done; umount /tmp/ss /tmp/ps",
     "9fa0 0 0\n62656572 0 0\n1cd1 0 0"),
    ("mkdir -p /tmp/rf; mount -t ramfs none /tmp/rf && stat -f -c '%t %b %c' /tmp/rf; "
     "umount /tmp/rf", "858458f6 0 0"),
    ("mkdir -p /tmp/tf; mount -t tmpfs none /tmp/tf && [ $(stat -f -c %b /tmp/tf) -gt 0 ] && "
     "stat -f -c %t /tmp/tf; umount /tmp/tf", "1021994"),
    # the OOM killer's weight: 0 at first, inherited by fork, -1000..1000,
    # raising it is anyone's right, lowering it below 0 root's
    ("cat /proc/self/oom_score_adj; sh -c 'echo 500 > /proc/self/oom_score_adj; "
     "cat /proc/self/oom_score_adj'", "0\n500"),
    ("echo 1001 > /proc/self/oom_score_adj; echo $?", "sh: write error: Invalid argument\n1"),
    ("su user -c 'echo 5 > /proc/self/oom_score_adj; cat /proc/self/oom_score_adj; "
     "echo -5 > /proc/self/oom_score_adj' 2>&1", "5\nsh: write error: Permission denied"),
    # RLIMIT_FSIZE (ash's ulimit -f counts 512-byte blocks): a write is cut
    # at the limit, one at or past it is SIGXFSZ (status 153) or, with the
    # signal ignored, EFBIG; truncate may not grow a file past it either
    ("rm -f /tmp/fsz; sh -c 'ulimit -f 2; dd if=/dev/zero of=/tmp/fsz bs=512 count=8 2>&1'; "
     "echo $?; wc -c < /tmp/fsz", "File size limit exceeded\n153\n1024"),
    ("rm -f /tmp/fsz; sh -c 'ulimit -f 1; head -c 700 /dev/zero > /tmp/fsz'; echo $?; wc -c < /tmp/fsz",
     "File size limit exceeded\n153\n512"),
    ("rm -f /tmp/fsz; sh -c 'ulimit -f 1; truncate -s 512 /tmp/fsz; echo $?; truncate -s 513 /tmp/fsz'; "
     "echo $?; wc -c < /tmp/fsz", "0\nFile size limit exceeded\n153\n512"),
    ("rm -f /tmp/fsz; sh -c 'trap \"\" XFSZ; ulimit -f 1; dd if=/dev/zero of=/tmp/fsz bs=1024 count=1 2>&1; "
     "echo $?; echo x >> /tmp/fsz; echo $?'; wc -c < /tmp/fsz",
     "dd: error writing '/tmp/fsz': File too large\n1+0 records in\n0+0 records out\n1\n"
     "sh: write error: File too large\n1\n512"),
    ("sh -c 'ulimit -f 1; ulimit -f; : > /tmp/fsz; echo $?; ulimit -f 0; echo y > /tmp/fsz'; echo $?",
     "1\n0\nFile size limit exceeded\n153"),
    ("sh -c 'ulimit -f 4; grep \"Max file size\" /proc/self/limits' | sed 's/ *$//'",
     "Max file size             2048                 2048                 bytes"),
    # RLIMIT_NPROC: a user's fork past the count of its processes is EAGAIN;
    # root is not held to it
    ("su user -c 'ulimit -u 1; sh -c \"echo child\"; echo $?' 2>&1",
     "sh: can't fork: Resource temporarily unavailable"),
    ("su user -c 'ulimit -u 2; sh -c \"echo child; sh -c \\\"echo grandchild\\\"; echo \\$?\"; echo $?' 2>&1",
     "child\nsh: can't fork: Resource temporarily unavailable\n2"),
    ("sh -c 'ulimit -u 1; sh -c \"echo root forks\"; echo $?'", "root forks\n0"),
    ("su user -c 'ulimit -u 1; ulimit -u; grep \"Max processes\" /proc/self/limits' | sed 's/ *$//'",
     "1\nMax processes             1                    1                    processes"),
    # /proc/<pid>/limits: Linux's table (rows whose values depend on the
    # machine or are Kevlar's known gaps, NPROC, NOFILE and SIGPENDING, left out)
    ("grep -v -e processes -e 'open files' -e 'pending signals' /proc/self/limits | "
     "sed 's/ *$//'",
     "Limit                     Soft Limit           Hard Limit           Units\n"
     "Max cpu time              unlimited            unlimited            seconds\n"
     "Max file size             unlimited            unlimited            bytes\n"
     "Max data size             unlimited            unlimited            bytes\n"
     "Max stack size            8388608              unlimited            bytes\n"
     "Max core file size        0                    unlimited            bytes\n"
     "Max resident set          unlimited            unlimited            bytes\n"
     "Max locked memory         8388608              8388608              bytes\n"
     "Max address space         unlimited            unlimited            bytes\n"
     "Max file locks            unlimited            unlimited            locks\n"
     "Max msgqueue size         819200               819200               bytes\n"
     "Max nice priority         0                    0\n"
     "Max realtime priority     0                    0\n"
     "Max realtime timeout      unlimited            unlimited            us"),
    # tmpfs sizes: size= and nr_inodes= are enforced and reported, a remount
    # cannot go below what is used, the default is half of RAM
    ("mkdir -p /tmp/sz; mount -t tmpfs -o size=1m sz /tmp/sz && stat -f -c '%b %f' /tmp/sz && "
     "dd if=/dev/zero of=/tmp/sz/f bs=4k count=512 2>&1 | head -1; wc -c < /tmp/sz/f; "
     "stat -f -c %f /tmp/sz; mount -o remount,size=4k /tmp/sz; echo $?; "
     "rm /tmp/sz/f; mount -o remount,size=8k /tmp/sz && stat -f -c '%b %f' /tmp/sz; umount /tmp/sz",
     "256 256\ndd: error writing '/tmp/sz/f': No space left on device\n1048576\n0\n"
     "mount: mounting sz on /tmp/sz failed: Invalid argument\n255\n2 2"),
    ("mkdir -p /tmp/ni; mount -t tmpfs -o nr_inodes=4 ni /tmp/ni && "
     "touch /tmp/ni/a /tmp/ni/b /tmp/ni/c /tmp/ni/d 2>&1; ls /tmp/ni | wc -l; "
     "stat -f -c '%c %d' /tmp/ni; umount /tmp/ni",
     "touch: /tmp/ni/d: No space left on device\n3\n4 0"),
    ("mkdir -p /tmp/hl; mount -t tmpfs -o nr_inodes=4 hl /tmp/hl && cd /tmp/hl && touch a && "
     "ln a b && ln a c; ln a d; stat -f -c %d .; rm b; ln a e && ls; cd /; umount /tmp/hl",
     "ln: d: No space left on device\n0\na  c  e"),
    ("mkdir -p /tmp/hf; mount -t tmpfs hf /tmp/hf && [ $(stat -f -c %b /tmp/hf) -eq "
     "$(( $(sed -n 's/MemTotal: *\\([0-9]*\\) kB/\\1/p' /proc/meminfo) / 8 )) ] && echo half; "
     "umount /tmp/hf; mount -t tmpfs -o size=12x bad /tmp/hf; echo $?",
     "half\nmount: mounting bad on /tmp/hf failed: Invalid argument\n255"),
    # users and permissions
    ("id -u; id -g", "0\n0"),
    ("echo secret > /tmp/sec; chmod 600 /tmp/sec; su user -c 'cat /tmp/sec' 2>&1",
     "cat: can't open '/tmp/sec': Permission denied"),
    ("su user -c 'id'", "uid=1000(user) gid=1000(user) groups=27(wheel),100(users),1000(user)"),
    ("su user -c 'touch /etc/nope' 2>&1", "touch: /etc/nope: Permission denied"),
    # reboot(2) is root's (CAP_SYS_BOOT): an ordinary user's is EPERM, the machine stays up
    ("su user -c 'poweroff -f' 2>&1; echo $?", "poweroff: (null): Operation not permitted\n1"),
    # processes, jobs, signals
    ("sleep 30 & p=$!; kill -STOP $p; sleep 0.3; jobs; kill -CONT $p; sleep 0.3; jobs; "
     "kill $p; sleep 0.3; wait $p; echo $?",
     # ash learns of stops only (no WCONTINUED): on Linux it still says Stopped.
     re.compile(r"(\[1\]\+\s+Stopped \(signal\)\s+sleep 30\n){2}143(\n.*)*")),
    ("sleep 0.2 & sleep 0.1 & wait; echo waited", re.compile(r"waited(\n.*)*")),
    ("sh -c 'trap \"echo bye\" EXIT; echo hi'", "hi\nbye"),
    ("sh -c 'kill -TERM $$; echo not-reached'; echo $?", re.compile(r"(Terminated\n)?143")),
    ("export FOO=bar; sh -c 'echo $FOO'; unset FOO", "bar"),
    ("env -i X=1 env", "X=1"),
    # /proc, /dev and the system
    ("cat /proc/self/stat | cut -d' ' -f2,3", "(cat) R"),
    ("readlink /proc/self/exe", "/bin/busybox"),
    ("head -c 16 /dev/urandom | wc -c", "16"),
    ("head -c 4 /dev/zero | od -An -tx1", " 00 00 00 00"),
    ("cat /proc/sys/kernel/ostype", "Linux"),
    ("grep -c ^processor /proc/cpuinfo; nproc", "1\n1"),
    ("uname -s -m", lambda arch: f"Linux {MACHINE[arch]}"),
    ("tty", lambda arch: CONSOLE[arch]),
    ("echo $0", "sh"),
    ("date +%Y | awk '{print ($1 >= 2024) ? \"clock set\" : \"clock at \" $1}'", "clock set"),
]


@pytest.mark.parametrize("command,expected", DIALOGUE,
                         ids=[re.sub(r"\W+", "_", c)[:40] for c, _ in DIALOGUE])
def test_dialogue(shell, command, expected):
    out = shell.run(command, timeout=60)
    if callable(expected):
        expected = expected(shell.target.arch)
    if isinstance(expected, re.Pattern):
        assert expected.fullmatch(out), f"{command!r} printed {out!r}"
    else:
        assert out == expected, f"{command!r} printed {out!r}"
