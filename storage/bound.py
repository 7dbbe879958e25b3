"""An engine stand-in bound to one open transaction: a repository built over it runs every method
inside that transaction (a job's effect commits with the job's done mark, `storage.repo_jobs`)."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from sqlalchemy import Connection


class _Borrowed:
    """The connection as `storage.engine.read`/`write` and `engine.begin()` use it; beginning and
    ending are the outer transaction's business, so they do nothing here."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def execution_options(self, **_: Any) -> _Borrowed:
        return self

    def begin(self) -> nullcontext[_Borrowed]:
        return nullcontext(self)

    def __enter__(self) -> _Borrowed:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


class BoundEngine:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def connect(self) -> _Borrowed:
        return _Borrowed(self._conn)

    def begin(self) -> nullcontext[_Borrowed]:
        return nullcontext(_Borrowed(self._conn))

    def __getattr__(self, name: str) -> Any:  # dialect, url, dispatch: the real engine's
        return getattr(self._conn.engine, name)
