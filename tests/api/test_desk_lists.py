"""The desk rule on lists and names inside answers (S4): links, the custody lists and the pipeline's
lists never name another desk's client, for every role of the main desk (and the administrator)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.access.rules import Permission
from core.work.inputs import NewAction, TagEdit
from tests.api.test_http import sign_in
from tests.api.world import DESK_B, ROLES, World, unique_phone

V1 = "/api/v1"


V1 = "/api/v1"
_planners: dict[int, Any] = {}  # per world: the administrator who puts an action on a card
_codes = itertools.count(1)


def _move_to_desk_b(world: World, client_id: int) -> None:
    from sqlalchemy import select, update

    from storage.engine import write
    from storage.tables import ClientRow, DeskRow

    with write(world.crm.engine) as conn:
        desk_id = conn.scalar(select(DeskRow.id).where(DeskRow.name == DESK_B))
        conn.execute(update(ClientRow).where(ClientRow.id == client_id).values(desk_id=desk_id))


@pytest.mark.parametrize("login", ROLES)
def test_links_never_name_another_desks_client(http: TestClient, world: World, login: str) -> None:
    """The referrer and the linked cards of a card of my desk pass the desk rule too: hidden, and
    only their existence told (`referrer_hidden`, `linked_hidden`)."""
    headers = sign_in(http, world, login)
    all_desks = Permission.ALL_DESKS in http.get(f"{V1}/auth/me", headers=headers).json()["permissions"]
    referrer = world.client("A", surname="Ссылочный")
    card = world.client("A", surname="Связанный", referrer_id=referrer.id, client_type="recommended")
    linked = world.client("A", surname="Уехавший", referrer_id=card.id, client_type="recommended")
    _move_to_desk_b(world, referrer.id)
    _move_to_desk_b(world, linked.id)

    answer = http.get(f"{V1}/clients/{card.id}", headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    if all_desks:
        assert body["referrer_id"] == referrer.id and [c["id"] for c in body["linked"]] == [linked.id]
        return
    assert (body["referrer_id"], body["referrer"], body["referrer_hidden"]) == (None, None, True)
    assert (body["linked"], body["linked_hidden"]) == ([], 1)
    assert "Ссылочный" not in answer.text and "Уехавший" not in answer.text
    assert http.get(f"{V1}/clients/{referrer.id}", headers=headers).status_code == 404


@pytest.mark.parametrize("login", ROLES)
def test_custody_lists_never_name_another_desk(http: TestClient, world: World, login: str) -> None:
    """The duplicates list and the managers one may hand clients to hold only the reader's desks."""
    headers = sign_in(http, world, login)
    perms = http.get(f"{V1}/auth/me", headers=headers).json()["permissions"]
    shared = unique_phone()
    world.client("B", surname="Двойников", phones=1)
    first = world.local("off_b").search("Двойников")[0]
    draft = {"surname": "Двойников", "first_name": "Д", "client_type": "interested", "phones": [shared]}
    for _ in range(2):
        http.post(
            f"{V1}/clients", json=draft, params={"allow_duplicate": "true"}, headers=sign_in(http, world, "off_b")
        )
    duplicates = http.get(f"{V1}/duplicates", params={"limit": 500}, headers=headers)
    managers = http.get(f"{V1}/hand-over/managers", headers=headers)
    if Permission.MERGE_CLIENTS not in perms:
        assert duplicates.status_code == 403 and managers.status_code == 403
        return
    assert duplicates.status_code == 200 and managers.status_code == 200
    named = {m["id"] for g in duplicates.json() for m in [g["card"], *g["matches"]]}
    logins = {m["login"] for m in managers.json()}
    if Permission.ALL_DESKS in perms:
        assert named and "off_b" in logins
    else:
        assert "Двойников" not in duplicates.text and first.id not in named
        assert "off_b" not in logins and DESK_B not in managers.text


@pytest.mark.parametrize("login", ROLES)
def test_pipeline_lists_never_hold_another_desks_rows(http: TestClient, world: World, login: str) -> None:
    """M4, M5, M7: the Actions table, client lists, their counts, tags and `#tag` search keep to my desks."""
    headers = sign_in(http, world, login)
    all_desks = Permission.ALL_DESKS in http.get(f"{V1}/auth/me", headers=headers).json()["permissions"]
    theirs = world.client("B", surname="Скрытов")
    planner = _planners.setdefault(id(world), world.local("adm"))
    tag = f"hidden{next(_codes)}"
    planner.edit_tags(theirs.id, TagEdit(add=[tag]))
    planner.add_action(theirs.id, NewAction(type="call", due_at=theirs.created_at))
    by_client = {"conditions": [{"field": "client_id", "op": "eq", "values": [str(theirs.id)]}]}
    by_id = {"conditions": [{"field": "id", "op": "eq", "values": [str(theirs.id)]}]}
    actions = http.post(f"{V1}/lists/actions", json=by_client, headers=headers).json()
    assert bool(actions["items"]) == all_desks, login
    assert "Скрытов" not in str(actions) or all_desks
    clients = http.post(f"{V1}/lists/clients", json=by_id, headers=headers).json()
    assert [c["id"] for c in clients["items"]] == ([theirs.id] if all_desks else [])
    for path, body in (("actions/count", by_client), ("clients/count", by_id)):
        assert http.post(f"{V1}/lists/{path}", json=body, headers=headers).json() == {"count": int(all_desks)}
    assert (tag in {t["name"] for t in http.get(f"{V1}/tags", headers=headers).json()}) == all_desks
    found = http.get(f"{V1}/clients", params={"q": f"#{tag}"}, headers=headers).json()
    assert [s["id"] for s in found] == ([theirs.id] if all_desks else [])
