"""Console processes in pseudo-terminals, and warm spares that make an SSH connection start at once.

A spare is a console already started (sign-in screen drawn, store opening) in its own pty with
the environment the last client had; a connection with the same terminal type and locale takes
it, the pty is resized to the client's terminal (the console redraws on SIGWINCH), and another
spare is started in the background. A client with another environment gets a fresh console.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import signal
import struct
import termios
from dataclasses import dataclass

from tui.thin.child import CLIENT_KEYS, Target, console_command

log = logging.getLogger("crm.ssh")
EnvKey = tuple[str | None, ...]


def set_size(fd: int, width: int, height: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", max(height, 1), max(width, 1), 0, 0))


def _take_controlling_terminal() -> None:
    """In the child, after setsid: the pty (stdin) becomes its controlling terminal, for SIGWINCH."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def env_key(env: dict[str, str]) -> EnvKey:
    return tuple(env.get(name) for name in ("TERM", *CLIENT_KEYS))


@dataclass
class PtyConsole:
    process: asyncio.subprocess.Process
    master: int
    key: EnvKey

    def alive(self) -> bool:
        return self.process.returncode is None

    def terminate(self) -> None:
        """SIGTERM to the console's process group, SIGKILL 3 s later if it is still there."""
        if not self.alive():
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)

        def kill() -> None:
            if self.alive():
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)

        asyncio.get_running_loop().call_later(3, kill)


async def spawn_console(target: Target, env: dict[str, str], size: tuple[int, int]) -> PtyConsole:
    """`crm …` in a new pty of `size` (width, height); the master side is non-blocking."""
    master, slave = os.openpty()
    try:
        set_size(slave, *size)
        process = await asyncio.create_subprocess_exec(
            *console_command(target),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            preexec_fn=_take_controlling_terminal,
        )
    except OSError:
        os.close(master)
        raise
    finally:
        os.close(slave)
    os.set_blocking(master, False)
    return PtyConsole(process, master, env_key(env))


class Spares:
    """Up to `count` warm consoles for the environment of the latest client."""

    def __init__(self, target: Target, count: int) -> None:
        self.target = target
        self.count = count
        self.ready: list[PtyConsole] = []
        self._filling: asyncio.Task[None] | None = None
        self._closed = False

    async def take(self, env: dict[str, str], size: tuple[int, int]) -> PtyConsole:
        key = env_key(env)
        for console in list(self.ready):
            self.ready.remove(console)
            if console.alive() and console.key == key:
                set_size(console.master, *size)
                self.refill(env)
                return console
            self._discard(console)
        self.refill(env)
        return await spawn_console(self.target, env, size)

    def refill(self, env: dict[str, str]) -> None:
        if self.count and not self._closed and (self._filling is None or self._filling.done()):
            self._filling = asyncio.get_running_loop().create_task(self._fill(dict(env)))

    async def _fill(self, env: dict[str, str]) -> None:
        while not self._closed and len(self.ready) < self.count:
            try:
                console = await spawn_console(self.target, env, (80, 24))
            except OSError as exc:
                log.error("a spare console did not start: %s", exc.strerror)
                return
            if self._closed:
                self._discard(console)
                return
            log.info("spare console pid %d started", console.process.pid)
            self.ready.append(console)

    def _discard(self, console: PtyConsole) -> None:
        log.info("spare console pid %d discarded", console.process.pid)
        console.terminate()
        asyncio.get_running_loop().create_task(self._reap(console))

    @staticmethod
    async def _reap(console: PtyConsole) -> None:
        await console.process.wait()
        os.close(console.master)

    def close(self) -> None:
        self._closed = True
        for console in self.ready:
            self._discard(console)
        self.ready.clear()
