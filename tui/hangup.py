"""A console whose terminal is gone ends as on a hang-up, also when no SIGHUP comes.

A pty whose other side closes hangs up: reads give EOF. A process that has the pty as its
controlling terminal gets SIGHUP and ends; one that does not (a warm spare of `crm ssh-serve` whose
pty was never taken as its terminal, a console started under `setsid`) gets no signal, and
Textual's input thread goes on reading EOF at once, in a busy loop at 100% CPU. A daemon thread
waits in `poll` for the hang-up (no events asked: it wakes only for POLLHUP or POLLERR, never for
input) and then ends the process as SIGHUP does: at once, nothing half-written saved.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading

_GONE = select.POLLHUP | select.POLLERR


def watch_terminal(fd: int | None = None) -> threading.Thread | None:
    """Start the watcher over `fd` (the console's stdin); None when it is not a terminal."""
    if fd is None:
        if sys.__stdin__ is None:
            return None
        fd = sys.__stdin__.fileno()
    if not os.isatty(fd):
        return None
    thread = threading.Thread(target=_wait_for_hangup, args=(fd,), name="terminal-hangup", daemon=True)
    thread.start()
    return thread


def _wait_for_hangup(fd: int) -> None:
    poll = select.poll()
    poll.register(fd, 0)
    while True:
        events = poll.poll()  # blocks; interrupted by a signal, retried (PEP 475)
        if any(mask & select.POLLNVAL for _fd, mask in events):
            return  # the descriptor was closed on purpose: nothing to watch
        if any(mask & _GONE for _fd, mask in events):
            break
    hang_up()


def hang_up() -> None:
    """End the process as the terminal's SIGHUP would (its default action, or the handler set for
    it); a process that ignores SIGHUP still ends: without its terminal a console serves no one."""
    os.kill(os.getpid(), signal.SIGHUP)
    if signal.getsignal(signal.SIGHUP) in (signal.SIG_IGN, None):
        os._exit(128 + signal.SIGHUP)
