"""File modes of the local store (issue 8, defect 4): folder 0700, database, WAL and SHM 0600,
and a warning when existing files are readable by other local users."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from storage.engine import make_engine
from storage.files import loose_store_files
from storage.migrate import upgrade


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, under which files used to come out 0644 and folders 0755."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_a_new_store_is_private(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "data" / "crm.sqlite3"
    engine = make_engine(str(path))
    try:
        upgrade(engine)
        with engine.connect() as conn:  # WAL and SHM exist while a connection is open
            conn.execute(text("SELECT count(*) FROM client"))
            assert mode(path.parent) == 0o700
            for name in ("crm.sqlite3", "crm.sqlite3-wal", "crm.sqlite3-shm"):
                assert mode(path.parent / name) == 0o600, name
    finally:
        engine.dispose()
    assert loose_store_files(str(path)) == []


def test_crm_serve_warns_about_readable_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import api.serve
    from cli import app

    path = tmp_path / "crm.sqlite3"
    engine = make_engine(str(path))
    upgrade(engine)
    engine.dispose()
    os.chmod(path, 0o644)
    started: list[str] = []
    monkeypatch.setattr(api.serve, "serve", lambda target, **_kw: started.append(target))

    result = CliRunner().invoke(app, ["serve", "--db", str(path)])

    assert result.exit_code == 0, result.output
    assert started == [str(path)]
    (line,) = [row for row in result.stderr.splitlines() if "warning" in row]
    assert line.startswith("crm: warning: readable by other local users:") and str(path) in line


async def test_the_console_shows_a_note_about_readable_files(tmp_path: Path) -> None:
    from core.settings import Settings
    from tests.tui.conftest import status, until
    from tui.app import CrmApp

    path = tmp_path / "crm.sqlite3"
    engine = make_engine(str(path))
    upgrade(engine)
    engine.dispose()
    os.chmod(path, 0o644)
    app = CrmApp(Settings(database=str(path), lang="en", secret_file=str(tmp_path / "server.key")), plain=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Readable by other local users" in status(app), "the note on the file modes")
        assert str(path) in status(app)
