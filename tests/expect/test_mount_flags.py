"""Mount flags are enforced, not only shown in /proc/mounts: ro (EROFS for
every change), noexec (exec is EACCES, an executable mapping EPERM), nodev (device nodes do not open),
and remount switches them on a live mount; link and rename stop at a mount
(EXDEV). Answers are Linux's on the same
rootfs (the suite runs there too)."""

import pytest

DIALOGUE = [
    # ro: reading works, every change is EROFS
    ("mkdir -p /tmp/ro && mount -t tmpfs -o ro ro-test /tmp/ro && touch /tmp/ro/x; echo $?",
     "touch: /tmp/ro/x: Read-only file system\n1"),
    ("mount -o remount,rw /tmp/ro && echo data > /tmp/ro/x && mkdir /tmp/ro/d && "
     "mount -o remount,ro /tmp/ro && cat /tmp/ro/x", "data"),
    ("echo more >> /tmp/ro/x; echo $?", "sh: can't create /tmp/ro/x: Read-only file system\n1"),
    ("rm -f /tmp/ro/x; echo $?", "rm: can't remove '/tmp/ro/x': Read-only file system\n1"),
    ("mkdir /tmp/ro/e; echo $?", "mkdir: can't create directory '/tmp/ro/e': Read-only file system\n1"),
    ("rmdir /tmp/ro/d; echo $?", "rmdir: '/tmp/ro/d': Read-only file system\n1"),
    ("mv /tmp/ro/x /tmp/ro/y; echo $?",
     "mv: can't rename '/tmp/ro/x': Read-only file system\n1"),
    ("chmod 600 /tmp/ro/x; echo $?", "chmod: /tmp/ro/x: Read-only file system\n1"),
    ("ln -s x /tmp/ro/l; echo $?", "ln: /tmp/ro/l: Read-only file system\n1"),
    ("grep -c ' /tmp/ro tmpfs ro[,]' /proc/mounts", "1"),
    ("mount -o remount,rw /tmp/ro && rm /tmp/ro/x && umount /tmp/ro && echo ok", "ok"),
    # noexec: a binary on the mount does not start; remount exec and it does
    ("mkdir -p /tmp/nx && mount -t tmpfs -o noexec nx-test /tmp/nx && "
     "cp /bin/busybox /tmp/nx/busybox && /tmp/nx/busybox true; echo $?",
     "sh: /tmp/nx/busybox: Permission denied\n126"),
    ("mount -o remount,exec /tmp/nx && /tmp/nx/busybox echo runs-now; umount /tmp/nx", "runs-now"),
    # noexec also refuses executable mappings (EPERM): glibc's loader cannot
    # map a program of the mount, even when it is started by hand
    ("mkdir -p /tmp/nm && mount -t tmpfs -o noexec nm-test /tmp/nm && "
     "cp /usr/lib/kevlar/hello-glibc /tmp/nm/ && "
     "ld=$(ls /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1 2>/dev/null); "
     "$ld /tmp/nm/hello-glibc 2>&1; echo $?",
     "/tmp/nm/hello-glibc: error while loading shared libraries: /tmp/nm/hello-glibc: "
     "failed to map segment from shared object\n127"),
    ("mount -o remount,exec /tmp/nm && "
     "$(ls /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1 2>/dev/null) /tmp/nm/hello-glibc | "
     "head -c 16; echo; umount /tmp/nm", "hello from glibc"),
    # nodev: a device node on the mount does not open; remount dev and it does
    ("mkdir -p /tmp/nd && mount -t tmpfs -o nodev nd-test /tmp/nd && "
     "mknod /tmp/nd/null c 1 3 && echo x > /tmp/nd/null; echo $?",
     "sh: can't create /tmp/nd/null: Permission denied\n1"),
    ("mount -o remount,dev /tmp/nd && echo x > /tmp/nd/null && echo wrote; umount /tmp/nd",
     "wrote"),
    # across mounts: no hard link (EXDEV); mv copies when rename says EXDEV
    ("mkdir -p /tmp/xm && mount -t tmpfs xm-test /tmp/xm && echo data > /tmp/xf && "
     "ln /tmp/xf /tmp/xm/l; echo $?", "ln: /tmp/xm/l: Invalid cross-device link\n1"),
    ("mv /tmp/xf /tmp/xm/ && cat /tmp/xm/xf && ls /tmp/xf; umount /tmp/xm",
     "data\nls: /tmp/xf: No such file or directory"),
]


@pytest.mark.parametrize("command, expected", DIALOGUE, ids=[c[:40] for c, _ in DIALOGUE])
def test_mount_flags(shell, command, expected):
    out = shell.run(command, timeout=60)
    assert out == expected, f"{command!r} printed {out!r}"
