"""The e-mail effect: the template in the client's language queued with the firing; do-not-disturb
and a card without e-mail send nothing and say so on the history entry."""

from __future__ import annotations

from sqlalchemy import update

from core.work.inputs import TagEdit
from storage.engine import write
from storage.tables import ClientRow
from tests.automation.world import World
from tests.statements import counting

EMAIL = {"kind": "email", "template": "welcome"}


def _set(world: World, client_id: int, **values: object) -> None:
    with write(world.crm.engine) as conn:
        conn.execute(update(ClientRow).where(ClientRow.id == client_id).values(**values))


def _fire(world: World, *clients: int) -> None:
    for client in clients:
        world.boss.edit_tags(client, TagEdit(add=["new"]))
    world.run()


def test_the_email_is_queued_in_the_clients_language(world: World) -> None:
    world.rule({"kind": "tag_added", "value": "new"}, [EMAIL], name="Welcome")
    russian = world.client(email="ivan@example.org")
    english = world.client(email="john@example.org", first_name="John", phones=["+79123450003"])
    _set(world, english, language="en")
    _fire(world, russian, english)

    (ru,) = world.crm.rows("email_outbox", client_id=russian)
    assert (ru.to, ru.template_code, ru.status, ru.purpose) == ("ivan@example.org", "welcome", "queued", "client")
    assert ru.subject == "Добро пожаловать" and ru.body.startswith("Иван Иванович, спасибо")
    (en,) = world.crm.rows("email_outbox", client_id=english)
    assert en.subject == "Welcome" and en.body.startswith("John, thank you")
    assert world.history(russian) == ["Rule 'Welcome': e-mail 'welcome'"]


def test_do_not_disturb_and_no_email_send_nothing_and_say_why(world: World) -> None:
    world.rule({"kind": "tag_added", "value": "new"}, [EMAIL, {"kind": "tag", "tag": "greeted"}], name="Welcome")
    quiet = world.client(email="quiet@example.org")
    _set(world, quiet, do_not_disturb=True)
    silent = world.client(phones=["+79123450004"])  # no e-mail on the card
    _fire(world, quiet, silent)

    assert world.crm.count("email_outbox") == 0
    assert world.history(quiet) == ["Rule 'Welcome': e-mail 'welcome' not sent: do not disturb; tag #greeted"]
    assert world.history(silent) == ["Rule 'Welcome': e-mail 'welcome' not sent: no e-mail; tag #greeted"]
    assert world.boss.open_card(silent).tags == ["greeted", "new"]  # the other effects still happen


def test_the_clients_facts_are_one_statement(world: World) -> None:
    client = world.client(email="ivan@example.org", phones=["+79123450005"])
    begin = 1 if world.crm.engine.dialect.name == "sqlite" else 0  # the read snapshot's BEGIN
    with counting(world.crm.engine) as count:
        facts = world.crm.repo.automation_client(client)
    assert facts is not None and (facts.email, facts.mobile) == ("ivan@example.org", "+79123450005")
    assert len(count.statements) == 1 + begin, str(count)
