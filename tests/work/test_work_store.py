"""Actions, views and tags through the local Console on SQLite and PostgreSQL: every operator
and derived date through the store's one query, the desk rule on every answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from core.console import LocalConsole
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.work.inputs import ActionTypeDraft, ConditionIn, ListQuery, NewAction, TagEdit, ViewDraft
from storage.engine import write
from storage.tables import ClientRow, DeskRow
from tests.call_world import add_campaign, listed
from tests.helpers import MAIN_DESK, T0, Crm, new_client
from tests.test_call_save import World

OTHER_DESK = "Retention"


def q(*conditions: tuple[str, str, list[str]], **kw: object) -> ListQuery:
    return ListQuery(conditions=[ConditionIn(field=f, op=o, values=v) for f, o, v in conditions], **kw)  # type: ignore[arg-type]


def ids(console: LocalConsole, *conditions: tuple[str, str, list[str]]) -> set[int]:
    page = console.list_clients(q(*conditions, limit=500))
    assert console.count_clients(q(*conditions)) == len(page.items)
    return {s.id for s in page.items}


def _other_desk(crm: Crm) -> None:
    from sqlalchemy import insert

    with write(crm.engine) as conn:
        conn.execute(insert(DeskRow).values(name=OTHER_DESK))


def test_derived_dates_follow_the_history(crm: Crm) -> None:
    world = World(crm)
    boss = world.console
    called, noted, untouched = world.client(), world.client(), world.client()
    boss.save_call(world.call(called, "not_reached", reason="no_answer"))
    crm.clock.advance(days=1)
    boss.add_comment(noted, "a note")
    assert ids(boss, ("last_call_at", "empty", [])) >= {noted, untouched} and called not in ids(
        boss, ("last_call_at", "empty", [])
    )
    assert ids(boss, ("last_call_at", "gt", ["-1h"])) == set()  # the call was a day ago
    assert ids(boss, ("last_call_at", "gt", ["-2d"])) == {called}
    assert ids(boss, ("last_contact_at", "lt", ["-12h"])) == {called}  # a note is no contact
    assert ids(boss, ("last_note_at", "between", ["2025-03-11", "2025-03-11"])) == {noted}
    assert called in ids(boss, ("last_deposit_at", "empty", []))  # no deposits yet: the hook only


def test_each_operator_through_the_store(crm: Crm) -> None:
    boss = crm.console("boss")
    a = new_client(boss, surname="Альфа", phones=["+79120000001"])
    b = new_client(boss, surname="Бета", phones=["+79120000002"], client_type="recommended")
    c = new_client(boss, surname="Гамма", phones=["+79120000003"], birth_date=None)
    mine = {a.id, b.id, c.id}
    assert ids(boss, ("id", "eq", [str(b.id)])) == {b.id}
    assert ids(boss, ("id", "ne", [str(b.id)])) == {a.id, c.id}
    assert ids(boss, ("id", "lt", [str(b.id)])) == {a.id}
    assert ids(boss, ("id", "gt", [str(b.id)])) == {c.id}
    assert ids(boss, ("id", "between", [str(a.id), str(b.id)])) == {a.id, b.id}
    assert ids(boss, ("birth_date", "empty", [])) == {c.id}
    assert ids(boss, ("client_type", "ne", ["recommended"])) == {a.id, c.id}
    assert ids(boss, ("surname", "eq", ["Бета"])) == {b.id}
    assert ids(boss, ("surname", "eq", ["x' OR '1'='1"])) == set()  # a value is a value, never SQL
    assert ids(boss, ("created_at", "lt", ["+1h"]), ("lifecycle", "eq", ["lead"])) == mine
    page = boss.list_clients(q(sort="surname", descending=True, limit=2))
    assert [s.full_name.split()[0] for s in page.items] == ["Гамма", "Бета"] and page.more


def test_actions_table_marks_overdue_sorts_filters_and_keeps_to_my_desks(crm: Crm) -> None:
    _other_desk(crm)
    boss = crm.console("op1", role="operator")  # one desk
    head = crm.console("head", role="admin", desks=[MAIN_DESK, OTHER_DESK])
    mine = new_client(boss, surname="Мой", phones=["+79120000011"])
    theirs = new_client(head, surname="Чужой", phones=["+79120000012"])
    with write(crm.engine) as conn:
        other = conn.scalar(select(DeskRow.id).where(DeskRow.name == OTHER_DESK))
        conn.execute(update(ClientRow).where(ClientRow.id == theirs.id).values(desk_id=other))
    late = boss.add_action(mine.id, NewAction(type="call", due_at=T0 + timedelta(hours=1)))
    soon = boss.add_action(mine.id, NewAction(type="consultation", due_at=T0 + timedelta(days=2)))
    head.add_action(theirs.id, NewAction(type="deposit", due_at=T0))
    with pytest.raises(NotFound):
        boss.add_action(theirs.id, NewAction(type="call", due_at=T0))
    with pytest.raises(ValidationFailed, match="Unknown action type"):
        boss.add_action(mine.id, NewAction(type="teleport", due_at=T0))
    assert boss.open_card(mine.id).last_action.type_name == "Consultation"  # the one due last

    crm.clock.advance(hours=2)
    page = boss.list_actions(q())
    assert [(x.id, x.overdue) for x in page.items] == [(late.id, True), (soon.id, False)]  # due order
    assert [x.id for x in boss.list_actions(q(("overdue", "eq", ["true"]))).items] == [late.id]
    assert [x.id for x in boss.list_actions(q(sort="type", descending=True)).items] == [soon.id, late.id]
    assert boss.count_actions(q(("type", "eq", ["call"]))) == 1
    assert head.count_actions(q()) == 3  # every desk

    done = boss.mark_action(late.id)
    assert done.done_at == crm.clock.now() and not done.overdue
    assert boss.list_actions(q(("overdue", "eq", ["true"]))).items == []
    assert [x.id for x in boss.list_actions(q(("done", "eq", ["true"]))).items] == [late.id]
    with pytest.raises(NotFound):
        boss.mark_action(head.list_actions(q(("type", "eq", ["deposit"]))).items[0].id)
    assert [x.id for x in boss.client_actions(mine.id)] == [soon.id, late.id]


def test_action_types_are_configured_by_an_administrator(crm: Crm) -> None:
    boss = crm.console("boss")
    admin = crm.console("root", role="admin")
    assert [t.code for t in boss.action_types()] == [
        "call", "consultation", "practice_invitation", "real_account", "deposit",
    ]  # fmt: skip
    with pytest.raises(PermissionDenied):
        boss.save_action_type(ActionTypeDraft(code="webinar", name="Webinar"))
    admin.save_action_type(ActionTypeDraft(code="webinar", name="Webinar", position=9))
    admin.save_action_type(ActionTypeDraft(code="call", name="First call", active=False))
    types = {t.code: t for t in boss.action_types()}
    assert types["webinar"].name == "Webinar" and not types["call"].active
    card = new_client(boss)
    with pytest.raises(ValidationFailed):
        boss.add_action(card.id, NewAction(type="call", due_at=T0))  # inactive: no new ones


def test_views_personal_shared_and_their_ids(crm: Crm) -> None:
    boss = crm.console("boss", role="administration")  # a head of every desk shares views
    op = crm.console("op", role="operator")
    cards = [new_client(boss, surname="Видов" + "абвгд"[i], phones=[f"+7912000010{i}"]) for i in range(5)]
    draft = ViewDraft(
        name="No contact for 30 days",
        subject="clients",
        shared=True,
        conditions=[ConditionIn(field="last_contact_at", op="empty")],
    )
    shared = boss.save_view(draft)
    own = op.save_view(ViewDraft(name="Mine", subject="actions", conditions=[]))
    with pytest.raises(PermissionDenied):
        op.save_view(draft)  # only a head shares
    with pytest.raises(ValidationFailed):
        boss.save_view(
            ViewDraft(name="Bad", subject="clients", conditions=[ConditionIn(field="x", op="eq", values=["1"])])
        )
    assert [v.name for v in op.views()] == ["Mine", "No contact for 30 days"]
    assert [v.name for v in boss.views()] == ["No contact for 30 days"]  # another's personal view: unseen
    with pytest.raises(NotFound):
        boss.view_query(own.id)
    with pytest.raises(PermissionDenied):
        op.delete_view(shared.id)
    first = op.view_ids(shared.id, limit=2)
    rest = op.view_ids(shared.id, after_id=first[-1], limit=10)
    assert first + rest == [c.id for c in cards]  # paged, in id order
    renamed = boss.save_view(draft.model_copy(update={"name": "Frozen"}), view_id=shared.id)
    assert renamed.id == shared.id and renamed.name == "Frozen" and renamed.mine
    boss.delete_view(shared.id)
    assert [v.name for v in op.views()] == ["Mine"]


def test_tags_on_the_card_in_bulk_and_in_search(crm: Crm) -> None:
    boss = crm.console("boss")
    a = new_client(boss, surname="Тегов", phones=["+79120000021"])
    b = new_client(boss, surname="Ярлыков", phones=["+79120000022"])
    assert boss.edit_tags(a.id, TagEdit(add=["#VIP", "retention"])) == ["retention", "vip"]
    assert boss.open_card(a.id).tags == ["retention", "vip"]
    assert boss.edit_tags(a.id, TagEdit(remove=["vip"])) == ["retention"]
    view = boss.save_view(ViewDraft(name="All", subject="clients"))
    assert boss.tag_view(view.id, "#Frozen").changed == 2
    assert boss.tag_view(view.id, "frozen").changed == 0  # once only
    assert ids(boss, ("tag", "eq", ["frozen"])) == {a.id, b.id}
    assert ids(boss, ("tag", "ne", ["retention"])) == {b.id}
    assert {t.name: t.clients for t in boss.tags()} == {"frozen": 2, "retention": 1}
    assert [s.id for s in boss.search("#frozen")] == [a.id, b.id]
    assert [s.id for s in boss.search("#frozen ярл")] == [b.id]
    assert boss.search("#nothing") == []
    assert boss.tag_view(view.id, "frozen", remove=True).changed == 2
    assert ids(boss, ("tag", "empty", [])) == {b.id}


def test_a_campaign_list_member_keeps_its_dates(crm: Crm) -> None:
    """The derived dates of a client on a call list move with the call saved from it."""
    world = World(crm)
    campaign = add_campaign(crm, "dates_campaign")
    client_id = listed(crm, world.console, campaign)
    assert client_id in ids(world.console, ("last_call_at", "empty", []))


def test_tag_search_is_an_index_lookup(sqlite_store: str) -> None:
    """`#tag` and `#tag surname` on SQLite: searches of the (tag_id, client_id) key and the name
    key, never a scan of the tagged clients."""
    from storage.engine import make_engine
    from storage.repo_search import _lookup_sql

    engine = make_engine(sqlite_store)
    try:
        with engine.connect() as conn:
            for kind in ("tag", "tag_name"):
                sql = "EXPLAIN QUERY PLAN " + _lookup_sql(kind, None, True, False)
                params = {"tag": "vip", "low": "ив", "high": "иг", "limit": 50}
                plan = " | ".join(row[3] for row in conn.exec_driver_sql(sql, params))
                assert "SCAN" not in plan, plan
                assert "SEARCH t USING COVERING INDEX" in plan, plan
    finally:
        engine.dispose()


def test_a_page_says_the_order_of_its_rows(crm: Crm) -> None:
    """Without a sort asked for, a range condition's column orders the page: the page says so."""
    boss = crm.console("boss")
    new_client(boss, surname="Альфа", phones=["+79120000091"])
    assert boss.list_clients(q()).sort == "id"
    assert boss.list_clients(q(("created_at", "gt", ["-1d"]))).sort == "created_at"
    assert boss.list_clients(q(("created_at", "gt", ["-1d"]), sort="surname")).sort == "surname"
    assert boss.list_actions(q()).sort == "due_at"
