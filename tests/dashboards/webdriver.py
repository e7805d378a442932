"""A tiny WebDriver client for Debian's chromedriver, over http.client.

Enough to load a page in headless Chromium, read the browser's console log
(errors such as a stylesheet that does not load), run a script and take a
screenshot. No Selenium: Debian's chromium-driver and the standard library.
"""

import base64
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

CHROMEDRIVER = "/usr/bin/chromedriver"
# /usr/bin/chromium is a shell wrapper; chromedriver wants the binary.
CHROMIUM = next((p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
                 if Path(p).exists()), "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000"]


class WebDriverError(Exception):
    pass


def available():
    return Path(CHROMEDRIVER).exists() and Path(CHROMIUM).exists()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """`with Browser() as b:` a chromedriver, a headless Chromium session with
    a fresh profile; everything stopped and removed on exit."""

    def __init__(self, timeout=60):
        self.timeout = timeout
        self.profile = Path(tempfile.mkdtemp(prefix="dash-chromium-"))
        self.port = _free_port()
        self.proc = subprocess.Popen([CHROMEDRIVER, f"--port={self.port}"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        self.session = None

    def __enter__(self):
        try:
            self._wait_ready()
            caps = {"browserName": "chrome",
                    "goog:chromeOptions": {"binary": CHROMIUM,
                                           "args": FLAGS + [f"--user-data-dir={self.profile}"]},
                    "goog:loggingPrefs": {"browser": "ALL"}}
            value = self._call("POST", "/session", {"capabilities": {"alwaysMatch": caps}})
            self.session = value["sessionId"]
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def _wait_ready(self):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise WebDriverError(f"chromedriver exited with status {self.proc.returncode}")
            try:
                if self._call("GET", "/status").get("ready"):
                    return
            except (OSError, WebDriverError):
                pass
            time.sleep(0.2)
        raise WebDriverError("chromedriver did not become ready")

    def _call(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            data = json.dumps(body).encode() if body is not None else None
            conn.request(method, path, body=data,
                         headers={"Content-Type": "application/json"} if data else {})
            reply = json.loads(conn.getresponse().read() or b"{}")
        finally:
            conn.close()
        value = reply.get("value")
        if isinstance(value, dict) and "error" in value:
            raise WebDriverError(f"{method} {path}: {value['error']}: {value.get('message', '')}")
        return value

    def _s(self, method, path, body=None):
        return self._call(method, f"/session/{self.session}{path}", body)

    def open(self, url):
        self._s("POST", "/url", {"url": url})

    def run(self, script, *args):
        return self._s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def console(self):
        """The browser's console entries since the last call: [{level, message}]."""
        return self._s("POST", "/se/log", {"type": "browser"})

    def screenshot(self, path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(base64.b64decode(self._s("GET", "/screenshot")))

    def close(self):
        try:
            if self.session:
                self._s("DELETE", "")
        except (OSError, WebDriverError):
            pass
        finally:
            self.session = None
            # chromedriver and the Chromium it started share our new process
            # group: stopping the group leaves no browser behind.
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(timeout=10)
                    break
                except subprocess.TimeoutExpired:
                    continue
            shutil.rmtree(self.profile, ignore_errors=True)
