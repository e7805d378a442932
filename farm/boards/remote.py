"""Physical boards: power through shell commands (a PDU's or relay's CLI),
console through ser2net (raw TCP), RFC 2217, or a local tty."""

import logging
import os
import signal
import socket
import subprocess
import termios
import threading
import time
import tty

from pexpect import fdpexpect

from farm.errors import ConsoleUnreachable, FarmError, PowerError
from farm.qemu import ROOT

log = logging.getLogger("farm.board")


def _fdspawn(fd):
    return fdpexpect.fdspawn(fd, timeout=None, encoding="utf-8", codec_errors="replace")


class CommandPower:
    """on/off/cycle are shell commands run from the repository's top, each with
    the inventory's timeout; the boot image is in their environment (FARM_*)."""

    def __init__(self, spec):
        self.spec = spec
        self.image = None

    def on(self, image):
        self.image = image
        self._run("on", self.spec.power.on)

    def off(self):
        self._run("off", self.spec.power.off)

    def cycle(self, image):
        if not self.spec.power.cycle:
            self.off()
            self.on(image)
            return
        self.image = image
        self._run("cycle", self.spec.power.cycle)

    def exit_status(self):
        return None   # a board behind a PDU has no exit status

    def _run(self, action, command):
        env = dict(os.environ)
        if self.image is not None:
            env.update(self.image.env(self.spec))
        timeout = self.spec.power.timeout
        # Its own session, so a timeout kills the command and all it started.
        proc = subprocess.Popen(["sh", "-c", command], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True, text=True, errors="replace")
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise PowerError(f"board {self.spec.name}: power {action} command did not finish "
                             f"within {timeout:.0f} s: {command}") from None
        finally:
            if proc.poll() is None:
                _kill_group(proc)
        if proc.returncode != 0:
            tail = "\n".join(out.strip().splitlines()[-10:])
            raise PowerError(f"board {self.spec.name}: power {action} command failed with "
                             f"status {proc.returncode}: {command}\n{tail}")
        log.debug("%s: power %s: ok", self.spec.name, action)


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


class TcpLink:
    """A raw TCP serial port (ser2net, QEMU's `-serial tcp:`).

    prepare() connects before power-on when the server is up (a ser2net port
    always is); when it is not yet (a board whose serial server comes with its
    power), attach() keeps trying until its timeout."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.sock = None
        self.child = None

    def _connect(self):
        s = socket.create_connection((self.host, self.port), timeout=5)
        s.setblocking(True)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    def prepare(self):
        try:
            self.sock = self._connect()
        except OSError:
            self.sock = None

    def attach(self, timeout):
        deadline = time.monotonic() + timeout
        err = None
        while self.sock is None:
            try:
                self.sock = self._connect()
            except OSError as e:
                err = e
                if time.monotonic() > deadline:
                    raise ConsoleUnreachable(f"console tcp://{self.host}:{self.port}: "
                                             f"{e.strerror or e} for {timeout:.0f} s") from None
                time.sleep(0.2)
        del err
        # The pexpect object owns the descriptor from now on.
        self.child = _fdspawn(self.sock.detach())
        self.sock = None
        return self.child

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        if self.child is not None:
            if not self.child.closed:
                self.child.close()
            self.child = None


class TtyLink:
    """A serial device on this host, raw, at the inventory's baud rate."""

    def __init__(self, device, baud):
        self.device, self.baud = device, baud
        self.child = None

    def prepare(self):
        speed = getattr(termios, f"B{self.baud}", None)
        if speed is None:
            raise FarmError(f"console {self.device}: {self.baud} is not a baud rate termios knows")
        try:
            fd = os.open(self.device, os.O_RDWR | os.O_NOCTTY)
        except OSError as e:
            raise ConsoleUnreachable(f"console {self.device}: {e.strerror}") from None
        tty.setraw(fd)
        attrs = termios.tcgetattr(fd)
        attrs[4] = attrs[5] = speed
        termios.tcsetattr(fd, termios.TCSANOW, attrs)
        self.child = _fdspawn(fd)

    def attach(self, timeout):
        return self.child

    def close(self):
        if self.child is not None and not self.child.closed:
            self.child.close()
        self.child = None


class Rfc2217Link:
    """A serial port behind an RFC 2217 (telnet COM-port control) server.

    pyserial speaks the protocol; a pair of threads copies between it and a
    socketpair so the console drives it like any other descriptor."""

    def __init__(self, host, port, baud):
        self.url = f"rfc2217://{host}:{port}"
        self.baud = baud
        self.port = None
        self.child = None
        self.stop = threading.Event()

    def prepare(self):
        try:
            import serial
        except ImportError:
            raise FarmError(f"console {self.url} needs pyserial: install Debian's "
                            f"python3-serial (make deps)") from None
        try:
            self.port = serial.serial_for_url(self.url, baudrate=self.baud, timeout=0.2)
        except (serial.SerialException, OSError) as e:
            raise ConsoleUnreachable(f"console {self.url}: {e}") from None
        ours, theirs = socket.socketpair()
        self.stop.clear()
        threading.Thread(target=self._from_port, args=(ours,), daemon=True).start()
        threading.Thread(target=self._to_port, args=(ours,), daemon=True).start()
        self.child = _fdspawn(theirs.detach())

    def _from_port(self, sock):
        try:
            while not self.stop.is_set():
                data = self.port.read(4096)
                if data:
                    sock.sendall(data)
        except Exception:   # the port or the pair closed: end the console
            pass
        finally:
            sock.close()

    def _to_port(self, sock):
        try:
            sock.settimeout(0.2)
            while not self.stop.is_set():
                try:
                    data = sock.recv(4096)
                except socket.timeout:
                    continue
                if not data:
                    break
                self.port.write(data)
        except Exception:
            pass

    def attach(self, timeout):
        return self.child

    def close(self):
        self.stop.set()
        if self.child is not None and not self.child.closed:
            self.child.close()
        self.child = None
        if self.port is not None:
            self.port.close()
            self.port = None
