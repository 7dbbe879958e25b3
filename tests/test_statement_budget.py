"""Statement budgets: what search and opening a card cost in SQL, so the count cannot creep back.

Counted on both engines with SQLAlchemy's cursor events (tests/statements.py); a budget is what
the operation needs today. SQLite's count includes the BEGIN of the read transaction.
"""

from __future__ import annotations

import pytest

from core.calls.inputs import CallState
from core.console import LocalConsole
from core.work.inputs import TagEdit
from tests.helpers import Crm, new_client
from tests.statements import counting

# query -> (what it runs, the statement budget: lookups + summaries, and SQLite's BEGIN)
SEARCHES = {
    "phone": ("8 912 345-67-89", 2),  # phone lookup, summaries
    "phone or passport or id": ("4510123456", 4),  # phone, passport and id lookups, summaries
    "id": ("id:{id}", 2),
    "short id": ("{id}", 2),  # too short to be a phone: not looked up as one
    "passport": ("4510 123456", 3),  # passport and phone: 4510123456 is a valid number, summaries
    "name": ("Иван", 2),
    "latin name": ("smi", 3),  # name key and latin key ranges, summaries
    "email": ("ivan.ivanov@mail.ru", 2),
    "tag": ("#vip", 2),  # the tag's clients, summaries
    "tag and name": ("#vip Иван", 2),  # the tag's clients within the name range, summaries
}


@pytest.fixture
def boss(crm: Crm) -> LocalConsole:
    console = crm.console("boss", role="supervisor")
    card = new_client(
        console,
        phones=["8 912 345-67-89"],
        passport_series="4510",
        passport_number="123456",
        email="Ivan.Ivanov@Mail.ru",
    )
    console.edit_tags(card.id, TagEdit(add=["vip"]))
    return console


@pytest.mark.parametrize("kind", list(SEARCHES))
def test_search_statement_budget(crm: Crm, boss: LocalConsole, kind: str) -> None:
    (client,) = boss.search("8 912 345-67-89")
    query, budget = SEARCHES[kind]
    budget += 1 if crm.engine.dialect.name == "sqlite" else 0  # BEGIN of the read snapshot

    with counting(crm.engine) as count:
        found = boss.search(query.format(id=client.id))

    assert found or kind == "latin name", str(count)
    assert len(count.statements) <= budget, str(count)
    # PostgreSQL: one checkout; SQLite: none, the thread's read connection is kept (repo_search)
    assert count.checkouts == (0 if crm.engine.dialect.name == "sqlite" else 1), str(count)


def test_open_card_statement_budget(crm: Crm, boss: LocalConsole) -> None:
    (client,) = boss.search("8 912 345-67-89")
    with counting(crm.engine) as count:
        card = boss.open_card(client.id)
    assert card.id == client.id and card.history  # the history's products are read too
    # client, phones, e-mails, history count, history, its products, products, transactions,
    # linked cards, changes; SQLite's BEGIN
    budget = 10 + (1 if crm.engine.dialect.name == "sqlite" else 0)
    assert len(count.statements) <= budget, str(count)
    assert count.checkouts == 1, str(count)


# kind of save -> (start_call, save_call) budgets on PostgreSQL; SQLite adds a BEGIN to each
CALLS = {
    # the call's facts, the claim, the live floor's state row (one upsert: the floor reads who is
    # in a call from it instead of scanning claims) | facts (with whether a rule of a saved result
    # is on, M8), contact, the client's derived dates (M5), member, the key
    "call back": (3, 5),
    # facts, the call and SMS history rows, derived dates, products, the slot's place, booking,
    # member, outbox, key
    "agreed with a visit and its SMS": (3, 9),
    # the same and the automation event's job (M8), queued only while such a rule is on
    "agreed with a visit and its SMS, a rule of a saved result on": (3, 10),
}
# start_call + save_call, the heaviest save, while no automation rule of a saved result is on
CALL_BUDGET = 12


@pytest.mark.parametrize("kind", list(CALLS))
def test_call_statement_budget(crm: Crm, kind: str) -> None:
    """One transaction on one connection per request: the slim read, the rules, the writes."""
    from tests.automation.world import World as Rules
    from tests.test_call_save import World

    world = World(crm)
    rule_on = kind.endswith("rule of a saved result on")
    if rule_on:
        Rules(crm).rule({"kind": "result_saved"}, [{"kind": "tag", "tag": "#called"}])
    reached = {"reason": "client_request", "state": CallState(reached=True)}
    world.console.save_call(world.call(world.client(), "callback", **reached))  # products: read once, kept
    jobs = crm.count("job")
    client_id = world.client()
    begin = 1 if crm.engine.dialect.name == "sqlite" else 0
    with counting(crm.engine) as start:
        call = world.agreed(client_id) if kind.startswith("agreed") else world.call(client_id, "callback", **reached)
    with counting(crm.engine) as save:
        entry = world.console.save_call(call, idempotency_key=f"call-budget-{client_id:06d}")

    assert entry.result == call.result and entry.id in {h.id for h in world.console.history(client_id)}
    assert crm.count("job") - jobs == (1 if rule_on else 0)  # the event is queued exactly while a rule is on
    start_budget, save_budget = CALLS[kind]
    assert len(start.statements) <= start_budget + begin, str(start)
    assert len(save.statements) <= save_budget + begin, str(save)
    total = CALL_BUDGET + (1 if rule_on else 0) + 2 * begin
    assert len(start.statements) + len(save.statements) <= total, f"{start}\n{save}"
    assert (start.checkouts, save.checkouts) == (1, 1), f"{start}\n{save}"


def test_the_product_catalogue_is_read_again_after_reference_data_changes(crm: Crm) -> None:
    from storage.reference import ensure_reference_data

    console = crm.console("boss", role="supervisor")
    first = console.products()
    with counting(crm.engine) as kept:
        assert console.products() == first
    ensure_reference_data(crm.engine)  # the write path of products and templates
    with counting(crm.engine) as again:
        assert console.products() == first
    assert not kept.statements, str(kept)
    assert any("FROM product" in s for s in again.statements), str(again)


def test_hand_out_statement_budget(crm: Crm) -> None:
    """K16 next_client with calling hours in force: the zones are reference data read once and kept."""
    from tests.call_world import add_campaign, listed

    boss = crm.console("boss", role="supervisor")
    campaign = add_campaign(crm)
    listed(crm, boss, campaign)
    wanted = listed(crm, boss, campaign)
    crm.clock.advance(hours=10)  # 19:00 UTC: 22:00 in Moscow, outside the default hours (09:00-20:00)
    assert boss.next_client(campaign) is None  # the zones are read (and kept) here
    crm.clock.advance(hours=-2.5)  # 16:30 UTC: 19:30 in Moscow, 20:30 in Samara: the zones filter
    assert boss.next_client(campaign) is not None
    with counting(crm.engine) as count:
        card = boss.next_client(campaign)
    assert card is not None and card.id == wanted
    # the campaign; the due call-backs (none), the fresh clients' pick, the claim; the card (10)
    budget = 14 + (3 if crm.engine.dialect.name == "sqlite" else 0)
    assert len(count.statements) <= budget, str(count)
    assert any("LEFT OUTER JOIN region" in s for s in count.statements), str(count)
    assert not any("SELECT region.timezone" in s for s in count.statements), str(count)


@pytest.mark.parametrize("with_products", [False, True])
def test_history_statement_budget(crm: Crm, boss: LocalConsole, with_products: bool) -> None:
    """A history page reads the card's survivor and desk, the page and its products: not the card."""
    from tests.test_call_save import World

    if with_products:
        world = World(crm)
        client_id = world.client()
        world.console.save_call(world.agreed(client_id))
        console = world.console
    else:
        (client,) = boss.search("8 912 345-67-89")
        client_id, console = client.id, boss
        console.add_comment(client_id, "first")
    with counting(crm.engine) as count:
        page = console.history(client_id, 0, 50)
    assert page and (any(e.products for e in page) == with_products), str(count)
    # the survivor and its desk, the page, its products (only when it has some); SQLite's BEGIN
    budget = 3 + (1 if crm.engine.dialect.name == "sqlite" else 0)
    assert len(count.statements) <= budget, str(count)
    assert not any("FROM phone" in s for s in count.statements), str(count)
    assert count.checkouts == 1, str(count)


def test_add_comment_statement_budget(crm: Crm, boss: LocalConsole) -> None:
    """A comment reads the client's head (survivor, desk) in one statement, not the card."""
    (client,) = boss.search("8 912 345-67-89")
    with counting(crm.engine) as count:
        entry = boss.add_comment(client.id, "called back")
    assert entry.comment == "called back" and entry.id in {h.id for h in boss.history(client.id)}
    # the head; the entry, the client's derived dates, the entry as the history shows it; SQLite's
    # BEGIN of the read and of the write
    budget = 4 + (2 if crm.engine.dialect.name == "sqlite" else 0)
    assert len(count.statements) <= budget, str(count)
    assert not any("FROM phone" in s for s in count.statements), str(count)


def test_result_options_statement_budget(crm: Crm) -> None:
    """The result options read the campaign, the client's head and the two facts the rules need."""
    from tests.save_world import World

    world = World(crm)
    client_id = world.client()
    world.console.result_options(client_id, world.campaign)  # the catalogue and products: read once, kept
    with counting(crm.engine) as count:
        options = world.console.result_options(client_id, world.campaign, CallState(reached=True))
    assert any(o.available for o in options) and any(not o.available for o in options)
    # the campaign, the head, the last agreed call, the upcoming booking; SQLite's BEGIN of each read
    budget = 4 + (4 if crm.engine.dialect.name == "sqlite" else 0)
    assert len(count.statements) <= budget, str(count)
    assert not any("FROM phone" in s for s in count.statements), str(count)


def _edits(card) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    from core.clients.inputs import ContactEdit, PersonalEdit, PhoneInput, PhoneStrike

    personal = PersonalEdit(
        surname="Петрова",
        first_name=card.first_name,
        patronymic=card.patronymic,
        expected_version=card.personal_version,
    )
    phones = [PhoneInput(id=p.id, number=p.number, kind=p.kind) for p in card.phones]
    contacts = ContactEdit(
        phones=[*phones, PhoneInput(number="8 912 000-11-22")], expected_version=card.contact_version
    )
    strike = PhoneStrike(phone_id=card.phones[0].id, reason="wrong", expected_version=card.contact_version)
    return {"edit_personal": (personal,), "edit_contacts": (contacts,), "strike_phone": (strike,)}


# an edit -> its writes: the block's version (with the personal fields), the phone added or struck,
# the audit row
EDIT_WRITES = {"edit_personal": 2, "edit_contacts": 3, "strike_phone": 3}


@pytest.mark.parametrize("edit", list(EDIT_WRITES))
def test_an_edit_reads_its_blocks_not_the_card(crm: Crm, boss: LocalConsole, edit: str) -> None:
    """An edit reads the two blocks it compares (the client with its region and town, the phones,
    the e-mails), writes, and reads the card once, as saved, for its answer."""
    (client,) = boss.search("8 912 345-67-89")
    card = boss.open_card(client.id)
    with counting(crm.engine) as count:
        saved = getattr(boss, edit)(client.id, *_edits(card)[edit])
    assert saved.id == client.id and (saved.personal_version, saved.contact_version) != (
        card.personal_version,
        card.contact_version,
    )
    history = [s for s in count.statements if "FROM contact " in s and "ORDER BY contact.at DESC" in s]
    assert len(history) == 1, str(count)  # the answer's card only
    # the blocks (3), the writes, the card as saved (10); SQLite's BEGIN of the read, the write
    # and the answer's read
    budget = 3 + EDIT_WRITES[edit] + 10 + (3 if crm.engine.dialect.name == "sqlite" else 0)
    assert len(count.statements) <= budget, str(count)
