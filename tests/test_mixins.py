"""The areas' operations are mixins of one class: two areas must not define the same helper name,
or one silently replaces the other (the method resolution order picks the first)."""

from __future__ import annotations

import pytest

from core.console import LocalConsole
from storage.remote import RemoteConsole
from storage.sql_repository import SqlRepository

SHARED = {"Acting", "CardEdits", "ClientOperations", "CallSaving", "CallOperations"}  # one area's own layers


@pytest.mark.parametrize("union", [LocalConsole, SqlRepository, RemoteConsole], ids=lambda c: c.__name__)
def test_no_two_areas_define_the_same_method(union: type) -> None:
    owners: dict[str, list[str]] = {}
    for cls in union.__mro__[1:]:
        for name, value in vars(cls).items():
            if not name.startswith("__") and callable(value) or isinstance(value, (staticmethod, property)):
                owners.setdefault(name, []).append(cls.__name__)
    clashes = {name: who for name, who in owners.items() if len(who) > 1 and not set(who) <= SHARED}
    assert not clashes, f"the same name in several areas: {clashes}"
