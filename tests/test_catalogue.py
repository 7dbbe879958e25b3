"""The result catalogue (K1, K3-K13): what it holds, what a broken one is refused for, its msgids."""

from __future__ import annotations

import pytest

from core.calls.catalogue import CatalogueError, catalogue, catalogue_text, load_catalogue

# --- the catalogue ----------------------------------------------------------------------------


def test_catalogue_holds_every_result_and_reason_of_the_manual() -> None:
    cat = catalogue()
    assert set(cat.codes) == {
        "not_reached",
        "call_dropped",
        "callback",
        "non_target",
        "think",
        "refused",
        "agreed",
        "changed_visit_date",
        "card_product",
        "do_not_disturb",
        "consultation",
        "visit_to_client",
    }
    assert len(cat["not_reached"].reasons) == 8
    assert len(cat["non_target"].reasons) == 14  # the seed lists 14 (SPEC says "13")
    assert [r.code for r in cat["callback"].reasons] == ["third_party", "call_dropped", "client_request"]
    assert len(cat["do_not_disturb"].reasons) == 7
    assert [r.code for r in cat["card_product"].reasons] == ["dsm_delivery", "fc_delivery", "self_pickup"]
    # Labels are English msgids.
    assert all(r.label.isascii() for r in cat.results)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('code = "think"', 'code = "callback"'), "repeat"),
        (("requires = { talked = true }", "requires = { talkd = true }"), "unknown requirement 'talkd'"),
        (('permission = "sme" }', 'permission = "smee" }'), "unknown permission 'smee'"),
        (('default_next = "+14d"\n', 'default_next = "fortnight"\n'), "default_next must be"),
        (('group = "conversation"', 'group = "talk"'), "group must be"),
        (('fields = ["visit", "products"]', 'fields = ["visit", "productz"]'), "unknown field 'productz'"),
        (('reason = "client_request", default_next', 'reason = "client_asked", default_next'), "unknown reason"),
    ],
)
def test_a_broken_catalogue_is_rejected_at_load(change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in catalogue_text()
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(catalogue_text().replace(old, new, 1))
