"""Statement budgets: what search and opening a card cost in SQL, so the count cannot creep back.

Counted on both engines with SQLAlchemy's cursor events (tests/statements.py); a budget is what
the operation needs today. SQLite's count includes the BEGIN of the read transaction.
"""

from __future__ import annotations

import pytest

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
    assert count.checkouts == 1, str(count)


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
