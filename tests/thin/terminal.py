"""A real terminal for tests: a program (here OpenSSH's `ssh`) in a pty, its screen read with pyte."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import struct
import subprocess
import termios
import threading
from collections.abc import Callable

import pyte

WAIT = 60.0  # seconds: a generous bound on waiting for a screen, never an assertion on time


def _set_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _controlling_tty() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """`argv` running in a pseudo-terminal of `cols`x`rows`; the screen is what a user would see."""

    def __init__(self, argv: list[str], cols: int = 80, rows: int = 24, env: dict[str, str] | None = None) -> None:
        self.master, slave = os.openpty()
        _set_size(slave, cols, rows)
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            preexec_fn=_controlling_tty,
        )
        os.close(slave)
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.changed = threading.Condition()
        self.closed = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                data = b""
            with self.changed:
                if not data:
                    self.closed = True
                    self.changed.notify_all()
                    return
                self.stream.feed(data)
                self.changed.notify_all()

    # --- reading ----------------------------------------------------------------------------

    def text(self) -> str:
        with self.changed:
            return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_until(self, condition: Callable[[str], bool], what: str, timeout: float = WAIT) -> str:
        """Wait for the screen to satisfy `condition`; fail with the screen shown otherwise."""
        with self.changed:
            ok = self.changed.wait_for(lambda: condition(self._text()) or self.closed, timeout)
            text = self._text()
        if not ok or not condition(text):
            raise AssertionError(f"waited for {what}; the screen:\n{text}")
        return text

    def wait_for(self, *needles: str, timeout: float = WAIT) -> str:
        return self.wait_until(lambda text: all(n in text for n in needles), " and ".join(map(repr, needles)), timeout)

    def _text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_closed(self, timeout: float = WAIT) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.closed, timeout)
        return self.process.wait(timeout)

    # --- typing and resizing ----------------------------------------------------------------

    def send(self, data: str | bytes) -> None:
        os.write(self.master, data.encode() if isinstance(data, str) else data)

    def type_line(self, text: str) -> None:
        self.send(text + "\r")

    def resize(self, cols: int, rows: int) -> None:
        """What a terminal window does: new size on the pty, then SIGWINCH to the program."""
        with self.changed:
            _set_size(self.master, cols, rows)
            self.screen.resize(rows, cols)
        os.kill(self.process.pid, signal.SIGWINCH)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(5)
        with contextlib.suppress(OSError):
            os.close(self.master)
