"""The pipeline's part of the Console contract, local and remote, on both engines: the same
answers from both, the desk rule on every answer, errors mapped back to `core.errors`."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.port import Console
from core.work.inputs import ActionTypeDraft, ConditionIn, ListQuery, NewAction, TagEdit, ViewDraft
from tests.api.world import World

SignIn = Callable[[str], Console]
_tags = itertools.count(1)


def by(field: str, op: str, *values: str, **kw: object) -> ListQuery:
    return ListQuery(conditions=[ConditionIn(field=field, op=op, values=list(values))], **kw)  # type: ignore[arg-type]


def test_actions_local_and_remote(sign_in: SignIn, world: World) -> None:
    console = sign_in("op_a")
    card = world.client("A")
    theirs = world.client("B")
    past = datetime.now(UTC) - timedelta(hours=1)
    late = console.add_action(card.id, NewAction(type="call", due_at=past, comment="first"))
    later = console.add_action(card.id, NewAction(type="consultation", due_at=past + timedelta(days=3)))
    assert late.overdue and not later.overdue and late.employee == "Op_a Testov"
    assert console.client_actions(card.id) == world.local("op_a").client_actions(card.id)
    assert console.open_card(card.id).last_action.type_name == "Consultation"
    page = console.list_actions(by("client_id", "eq", str(card.id)))
    assert [a.id for a in page.items] == [late.id, later.id] and not page.more
    assert console.count_actions(by("client_id", "eq", str(card.id))) == 2
    assert [
        a.id for a in console.list_actions(by("client_id", "eq", str(card.id), sort="due_at", descending=True)).items
    ] == [later.id, late.id]
    assert console.mark_action(late.id).done_at is not None
    with pytest.raises(NotFound):
        console.add_action(theirs.id, NewAction(type="call", due_at=past))
    with pytest.raises(NotFound):
        console.client_actions(theirs.id)
    other = world.local("adm").add_action(theirs.id, NewAction(type="call", due_at=past))
    with pytest.raises(NotFound):
        console.mark_action(other.id)
    assert other.id not in {a.id for a in console.list_actions(by("id", "eq", str(other.id))).items}
    assert console.count_actions(by("id", "eq", str(other.id))) == 0
    with pytest.raises(ValidationFailed):
        console.list_actions(by("passport_number", "eq", "1"))
    with pytest.raises(PermissionDenied):
        console.save_action_type(ActionTypeDraft(code="webinar", name="Webinar"))
    assert [t.code for t in console.action_types()][:2] == ["call", "consultation"]


def test_views_and_tags_local_and_remote(sign_in: SignIn, world: World) -> None:
    console = sign_in("op_a")
    tag = f"contract{next(_tags)}{world.engine_name}"
    mine = [world.client("A"), world.client("A")]
    theirs = world.client("B")
    assert console.edit_tags(mine[0].id, TagEdit(add=[f"#{tag}"])) == [tag]
    world.local("adm").edit_tags(theirs.id, TagEdit(add=[tag]))
    with pytest.raises(NotFound):
        console.edit_tags(theirs.id, TagEdit(add=[tag]))
    assert console.open_card(mine[0].id).tags == [tag]
    found = console.list_clients(by("tag", "eq", tag))
    assert [s.id for s in found.items] == [mine[0].id]  # never the other desk's
    assert console.count_clients(by("tag", "eq", tag)) == 1
    assert [s.id for s in console.search(f"#{tag}")] == [mine[0].id]

    ids = [str(c.id) for c in mine]
    draft = ViewDraft(
        name=f"Pair {tag}",
        subject="clients",
        conditions=[ConditionIn(field="id", op="between", values=[ids[0], ids[1]])],
    )
    view = console.save_view(draft)
    assert view.mine and not view.shared
    assert view in console.views("clients")
    assert console.view_query(view.id).conditions == draft.conditions
    assert console.view_ids(view.id) == [c.id for c in mine]
    assert console.view_ids(view.id, after_id=mine[0].id, limit=1) == [mine[1].id]
    assert console.tag_view(view.id, tag).changed == 1
    assert console.count_clients(by("tag", "eq", tag)) == 2
    assert {t.name: t.clients for t in console.tags()}[tag] == 2  # my desks' only
    with pytest.raises(PermissionDenied):
        console.save_view(draft.model_copy(update={"shared": True}))
    with pytest.raises(ValidationFailed):
        console.save_view(draft.model_copy(update={"subject": "phones"}))
    with pytest.raises(NotFound):
        sign_in("op_b").view_query(view.id)  # another's personal view
    console.delete_view(view.id)
    assert view.id not in {v.id for v in console.views()}
