"""The imports' part of the Console contract, local and remote, on both engines: the same preview
and report from both, 403 with a clear message without the permission, files past the API's
usual body limit, bad lines with their reason."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.imports.inputs import ImportOptions
from core.port import Console
from tests.api.world import World, unique_phone

SignIn = Callable[[str], Console]


def csv_file(rows: int, bad: bool = True) -> bytes:
    lines = ["Фамилия;Имя;Телефон;Дата рождения"]
    lines += [f"Иванов;Иван;{unique_phone()};31.12.1980" for _ in range(rows)]
    if bad:
        lines.append("Петров;Пётр;12345;01.01.1990")
    return ("\n".join(lines) + "\n").encode("cp1251")


def test_preview_and_import_the_same_local_and_remote(sign_in: SignIn, world: World) -> None:
    console, local = sign_in("adm"), world.local("adm")
    data = csv_file(3)
    assert console.import_preview(data, "c.csv", ImportOptions()) == local.import_preview(
        data, "c.csv", ImportOptions()
    )
    report = console.import_clients(data, "c.csv", ImportOptions())
    assert (report.status, report.created, report.bad) == ("done", 3, 1)
    assert [(p.line, p.reason) for p in report.problems] == [(5, "Телефон: not a valid phone number.")]
    assert console.import_report(report.id) == local.import_report(report.id)
    with pytest.raises(NotFound):
        console.import_report(2**31 - 1)


def test_a_file_past_the_usual_body_limit(sign_in: SignIn) -> None:
    data = csv_file(2500, bad=False)
    assert len(data) > 64 * 1024
    assert sign_in("adm").import_clients(data, "big.csv", ImportOptions()).created == 2500


def test_without_the_permission_and_with_a_bad_mapping(sign_in: SignIn) -> None:
    with pytest.raises(PermissionDenied, match="Your role may not import clients."):
        sign_in("op_a").import_clients(csv_file(1), "c.csv", ImportOptions())
    with pytest.raises(ValidationFailed, match="No column 'Nope' in the file."):
        sign_in("sup").import_preview(csv_file(1), "c.csv", ImportOptions(mapping={"Nope": "phone"}))


def test_an_export_local_and_remote_masked_and_refused(sign_in: SignIn, world: World) -> None:
    card = world.client("A")
    number = card.phones[0].number
    full = sign_in("adm").export_clients("csv", ids=[card.id])
    assert number in full.content.decode("utf-8-sig") and full.filename.endswith(".csv")
    with pytest.raises(PermissionDenied, match="Your role may not export clients."):
        sign_in("op_a").export_clients("csv", ids=[card.id])
    with pytest.raises(ValidationFailed):
        sign_in("adm").export_clients("pdf", ids=[card.id])


def test_an_unfinished_import_is_listed_local_and_remote(sign_in: SignIn, world: World) -> None:
    """The import screen offers it on opening; a finished one is not listed."""
    from core.imports import operations

    console, local = sign_in("sup"), world.local("sup")
    data, options = csv_file(4, bad=False), ImportOptions(duplicates="skip")

    def crash(line: int) -> None:
        raise KeyboardInterrupt  # the process dies after the first batch was committed

    original, operations.BATCH_ROWS = operations.BATCH_ROWS, 2
    try:
        with pytest.raises(KeyboardInterrupt):
            local.import_clients(data, "/data/half.csv", options, progress=crash)
    finally:
        operations.BATCH_ROWS = original
    (found,) = [u for u in console.unfinished_imports() if u.filename == "/data/half.csv"]
    assert console.unfinished_imports() == local.unfinished_imports()
    assert found.lines_done == 3 and ImportOptions.model_validate(found.options) == options
    assert local.import_clients(data, found.filename, ImportOptions.model_validate(found.options)).created == 4
    assert not [u for u in console.unfinished_imports() if u.filename == "/data/half.csv"]
    with pytest.raises(PermissionDenied):
        sign_in("op_a").unfinished_imports()


def test_a_file_imported_before_is_refused_until_again(sign_in: SignIn) -> None:
    from core.errors import Conflict
    from core.imports.models import EarlierImport

    console = sign_in("adm")
    data = csv_file(2, bad=False)
    first = console.import_clients(data, "c.csv", ImportOptions())
    with pytest.raises(Conflict, match="This file was imported on .*: 2 clients.") as refused:
        console.import_clients(data, "c.csv", ImportOptions(duplicates="skip"))
    assert isinstance(refused.value.current, EarlierImport) and refused.value.current.id == first.id
    again = console.import_clients(data, "c.csv", ImportOptions(duplicates="skip"), again=True)
    assert (again.created, again.skipped) == (0, 2)
