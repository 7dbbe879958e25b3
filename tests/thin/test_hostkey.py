"""The SSH host key: made once with mode 0600, the same key on every start, refused when others may read it."""

from __future__ import annotations

import stat

import pytest

from core.errors import CrmError
from tui.thin.hostkey import KEY_NAME, load_or_create_host_key


def test_the_host_key_is_made_once_and_kept(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    key, path, created = load_or_create_host_key()
    assert created and path == tmp_path / "crm-console" / KEY_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, same_path, created_again = load_or_create_host_key()
    assert not created_again and same_path == path
    assert again.export_public_key() == key.export_public_key()


def test_a_configured_path_is_used(tmp_path) -> None:
    path = tmp_path / "keys" / "host"
    _, used, created = load_or_create_host_key(path)
    assert created and used == path and path.is_file()


def test_a_key_others_can_read_is_refused(tmp_path) -> None:
    path = tmp_path / "host"
    load_or_create_host_key(path)
    path.chmod(0o644)
    with pytest.raises(CrmError, match="readable by others"):
        load_or_create_host_key(path)


def test_a_file_that_is_not_a_key_is_refused(tmp_path) -> None:
    path = tmp_path / "host"
    path.write_text("not a key")
    path.chmod(0o600)
    with pytest.raises(CrmError, match="cannot read the host key"):
        load_or_create_host_key(path)
