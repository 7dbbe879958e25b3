"""A console whose terminal goes away ends, with or without the SIGHUP of a controlling terminal:
a real `python -m cli` in a real pty, the pty's other side closed under it (as `crm ssh-serve`
does with a spare console it discards, whose pty the console never took as its terminal)."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path

import pyte
import pytest
from sqlalchemy import Engine

from tests.thin.conftest import crm_argv, server_env
from tests.thin.terminal import WAIT


def _controlling_tty() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _wait_for_screen(master: int, needle: str) -> None:
    """Read the console's output (in this thread: no read may be pending when the pty is closed)."""
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if select.select([master], [], [], 0.5)[0]:
            stream.feed(os.read(master, 65536))
            if needle in "\n".join(screen.display):
                return
    raise AssertionError("the console did not draw " + repr(needle) + ":\n" + "\n".join(screen.display))


@pytest.mark.parametrize("controlling", [False, True], ids=["no controlling terminal", "controlling terminal"])
def test_the_console_ends_when_its_terminal_goes_away(
    thin_db: tuple[Path, Engine], tmp_path: Path, controlling: bool
) -> None:
    path, _engine = thin_db
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        crm_argv("--db", str(path)),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**server_env(tmp_path), "TERM": "xterm-256color"},
        start_new_session=True,
        preexec_fn=_controlling_tty if controlling else None,
    )
    os.close(slave)
    try:
        _wait_for_screen(master, "Sign in to the CRM console")
        os.close(master)  # the terminal goes away; without a controlling terminal no SIGHUP is sent
        master = -1
        try:
            code = process.wait(WAIT)  # a generous bound: the old console read EOF in a busy loop forever
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the console outlived its terminal by {WAIT:.0f} s") from None
        assert code == -signal.SIGHUP  # ended as a hang-up ends it: nothing half-written saved
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if master >= 0:
            os.close(master)
