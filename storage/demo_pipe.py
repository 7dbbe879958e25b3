"""The demo's rows made beside the load: a second process makes batch k+1 while this one writes k.

Making the rows is Python (about 35 µs a client) and the driver's `executemany` takes the GIL back
for every row, so a thread could not overlap the two; a process can, on a machine with a core to
spare. The maker (its random state, id counters and windows of shared phones) is handed to the
process once, which makes the same batches in the same order as the inline path: the same seed
still gives the same database (tests/test_demo.py compares the digests of both paths). A batch
crosses a pipe pickled; the sender blocks until the writer takes the previous one, so at most
three batches are alive at a time: the one written, the one in the pipe, the one being made.

Small builds make their rows inline: starting the process (a fresh interpreter importing the
maker's modules) costs more than it saves below `BESIDE_MIN_CLIENTS`. So does a machine with no
core to spare (`spare_core`): both processes then share one core's time, and the pickling is
extra work (measured at 1,000,000 clients at load 6-8 on 2 cores: 377 s beside, 382 s inline,
with 19% more CPU seconds beside).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Protocol

from storage.demo_world import Rows

BESIDE_MIN_CLIENTS = 50_000
_END = b""


def spare_core() -> bool:
    """Whether the machine has a core the row maker can use: two or more, and the load average of
    the last minute a core below their number."""
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:  # no load average on this system
        load = 0.0
    return cores >= 2 and load <= cores - 1


@dataclass(frozen=True)
class RowsPlan:
    """What to make: the client batches `(first id, count)`, then one closing batch of extras."""

    batches: list[tuple[int, int]]
    long_ids: frozenset[int]


class RowSource(Protocol):
    """Makes the rows; picklable, so that another process can go on from the same state."""

    def batch_rows(self, first_id: int, count: int, long_ids: frozenset[int]) -> Rows: ...

    def closing_rows(self) -> Rows: ...


class RowMakerStopped(RuntimeError):
    """The process making the rows ended before it sent them all."""


def made_in_order(source: RowSource, plan: RowsPlan) -> Iterator[Rows]:
    """The client batches of `plan`, then the closing rows (made once every client exists)."""
    for first_id, count in plan.batches:
        yield source.batch_rows(first_id, count, plan.long_ids)
    yield source.closing_rows()


@contextmanager
def rows_beside(source: RowSource, plan: RowsPlan) -> Iterator[Iterator[Rows]]:
    """`made_in_order(source, plan)`, made by another process."""
    context = multiprocessing.get_context("spawn")  # no fork: the parent may have threads and connections
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_make, args=(source, plan, sender), name="crm-demo-rows", daemon=True)
    process.start()
    sender.close()
    try:
        yield _received(receiver)
    finally:
        receiver.close()
        if process.is_alive():
            process.terminate()  # the writer failed: the maker has nobody to send to
        process.join()


def _make(source: RowSource, plan: RowsPlan, sender: Connection) -> None:
    try:
        for rows in made_in_order(source, plan):
            sender.send_bytes(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
        sender.send_bytes(_END)
    except (BrokenPipeError, ConnectionResetError):
        return  # the writer has gone


def _received(receiver: Connection) -> Iterator[Rows]:
    while True:
        try:
            data = receiver.recv_bytes()
        except EOFError:
            raise RowMakerStopped("the demo's row maker stopped before the last batch") from None
        if data == _END:
            return
        yield pickle.loads(data)
