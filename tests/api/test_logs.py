"""The server's log holds no client data: a real uvicorn (`python -m api.serve`) serves the desk
matrix and a round of bad input, then its whole log is searched for every phone and e-mail of
the database; and an exception with client data in its message, its locals and its traceback
is logged as its type, place and request id only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

import tests.api.test_desk_matrix as matrix
from storage.engine import read
from storage.tables import EmailRow, EmployeeRow, PhoneRow
from tests.api.faulty_server import FAULTY_ROUTE, RAW_FAULT
from tests.api.test_http import sign_in
from tests.api.world import ApiServer, World, unique_phone

V1 = "/api/v1"


def secrets_of(world: World) -> set[str]:
    """Every phone (as E.164, without the plus, and national) and e-mail held in the database."""
    with read(world.crm.engine) as conn:
        phones = set(conn.scalars(select(PhoneRow.e164))) | {m for m in conn.scalars(select(EmployeeRow.mobile)) if m}
        emails = {a.casefold() for a in conn.scalars(select(EmailRow.address))}
    return {form for p in phones for form in (p, p.lstrip("+"), p[-10:])} | emails


def leaks(log: str, secrets: set[str]) -> list[str]:
    folded = log.casefold()
    return sorted(s for s in secrets if s.casefold() in folded)


def bad_input(http: httpx.Client, world: World) -> list[tuple[str, int]]:
    """Input an attacker or a clumsy client sends, each carrying a real phone or e-mail; answers
    the requests that got a 5xx (checked after the log)."""
    failed: list[tuple[str, int]] = []
    headers = sign_in(http, world, "off_a")
    card = world.client("A", email=f"leak.{unique_phone()[4:]}@example.org")
    theirs = world.client("B", email=f"other.{unique_phone()[4:]}@example.org")
    phone, email = theirs.phones[0].number, theirs.emails[0].address
    queries = (
        phone,
        phone[2:],
        email,
        "¹",
        "٣",
        "᧚",
        f"{phone}¹",
        f"{phone[2:]}¹",
        f"{phone}\x00",
        "+7 912",
        "x" * 300,
    )
    for query in queries:
        answer = http.get(f"{V1}/clients", params={"q": query}, headers=headers)
        if answer.status_code >= 500:
            failed.append((f"search {query!r}", answer.status_code))
    draft = {"surname": "Утечкин", "first_name": "У", "phones": [phone], "email": email}
    bodies = [
        ("POST", "/clients", {**draft, "comment": f"{phone} " * 1000}),  # over the comment maximum
        ("POST", "/clients/duplicates", {**draft, "phones": [phone] * 11}),
        ("POST", "/clients/duplicates", {**draft, "birth_date": phone}),
        ("POST", "/clients/duplicates", {**draft, "surname": 1}),
        ("POST", "/clients", {**draft, "passport_series": "¹²³⁴", "passport_number": "٣٣٣٣٣٣"}),
        ("POST", f"/clients/{card.id}/comments", {"text": f"{phone}\x00{email}"}),
        ("PUT", f"/clients/{card.id}/contacts", {"phones": [{"number": f"{phone}¹"}], "expected_version": "0"}),
        ("POST", "/calls", {"client_id": str(card.id), "campaign_id": 1, "started_at": "2025-03-10T12:00:00"}),
        ("GET", "/clients/duplicates", None),
    ]
    for method, path, body in bodies:
        answer = http.request(method, V1 + path, json=body, headers=headers)
        if answer.status_code >= 500:
            failed.append((f"{method} {path}", answer.status_code))
    raw = [f'{{"surname": "{phone}", "first_name": '.encode(), (f'{{"q": "{email}"' + " " * 70_000 + "}").encode()]
    for content in raw:
        answer = http.post(f"{V1}/clients", content=content, headers={**headers, "Content-Type": "application/json"})
        if answer.status_code not in (413, 422):
            failed.append(("a broken or oversized body", answer.status_code))

    def streamed() -> Iterator[bytes]:
        yield f'{{"surname": "{phone}", "comment": "'.encode()
        for _ in range(10):
            yield email.encode() * 1000

    answer = http.post(f"{V1}/clients", content=streamed(), headers={**headers, "Content-Type": "application/json"})
    if answer.status_code != 413:
        failed.append(("a streamed oversized body", answer.status_code))
    return failed


@pytest.mark.parametrize("part", [*matrix.ROLES, "bad input"])
def test_the_server_log_holds_no_phone_or_email(world: World, part: str) -> None:
    """One part of the traffic per test (the desk matrix of one role, or the bad input), so the
    parts run on both workers; after each, the server's whole log so far is searched."""
    server = world.server
    failed: list[tuple[str, int]] = []
    with httpx.Client(base_url=server.url, timeout=60) as http:
        if part == "bad input":
            failed = bad_input(http, world)
        else:
            matrix.test_routes_with_an_id_hide_other_desks(http, world, part)  # type: ignore[arg-type]
            matrix.test_lists_never_hold_another_desks_card(http, world, part)  # type: ignore[arg-type]
            matrix.test_a_referrer_of_another_desk_cannot_be_named(http, world, part)  # type: ignore[arg-type]
    log = server.log.read_text(errors="replace")
    assert f"GET {V1}/clients?… HTTP/1.1" in log  # the access log was captured, queries cut
    assert not leaks(log, secrets_of(world))
    assert not failed


def test_an_induced_exception_is_logged_without_its_details(sqlite_world: World, tmp_path: Path) -> None:
    log_file = tmp_path / "faulty.log"
    server = ApiServer(sqlite_world.target, log_file, module="tests.api.faulty_server").start()
    phone, email = unique_phone(), "faulty.person@example.org"
    try:
        handled = httpx.get(server.url + FAULTY_ROUTE, params={"q": f"{phone} {email}"})
        raw = httpx.get(server.url + RAW_FAULT, params={"q": f"{phone} {email}"})
    finally:
        server.stop()
    assert handled.status_code == 500 and handled.json()["error"] == "internal"
    assert phone not in handled.text and handled.headers["cache-control"] == "no-store"
    assert raw.status_code == 500
    log = log_file.read_text(errors="replace")
    rid = handled.headers["x-request-id"]
    assert "unexpected ValueError at tests/api/faulty_server.py:" in log and rid in log
    assert "Exception in ASGI application [RuntimeError at tests/api/faulty_server.py:" in log
    assert "Traceback" not in log and "cannot handle" not in log and "raw failure" not in log
    assert not leaks(log, {phone, phone[2:], email})
