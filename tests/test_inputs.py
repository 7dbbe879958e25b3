"""The input shapes' rules in core, for the local console as for the API (issue 8, defects 3, 8, 13)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from core.calls.inputs import CallResult, CallState, require_aware_times
from core.clients.inputs import ContactEdit, NewClient, PhoneInput
from core.errors import ValidationFailed
from core.shapes import TIMEZONE_REQUIRED

AWARE = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("field", ["started_at", "ended_at", "next_at", "visit_at"])
def test_a_call_result_refuses_a_time_without_its_zone(field: str) -> None:
    values = {"client_id": 1, "campaign_id": 1, "started_at": AWARE, "result": "not_reached", field: AWARE}
    with pytest.raises(ValidationError, match="time zone offset"):
        CallResult.model_validate({**values, field: AWARE.replace(tzinfo=None)})
    with pytest.raises(ValidationError, match="time zone offset"):
        CallResult.model_validate({**values, field: "2025-03-10T12:00:00"})
    taken = CallResult.model_validate({**values, field: "2025-03-10T12:00:00+03:00"})
    assert getattr(taken, field) == datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


def test_an_unvalidated_call_result_meets_the_same_rule() -> None:
    call = CallResult.model_construct(client_id=1, campaign_id=1, started_at=datetime(2025, 3, 10), result="x")
    with pytest.raises(ValidationFailed) as refused:
        require_aware_times(call)
    assert (refused.value.field, refused.value.message) == ("started_at", TIMEZONE_REQUIRED)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"reached": 0}, "reached"),
        ({"reached": "true"}, "reached"),
        ({"answers": ["1"]}, "answers"),
        ({"answers": [10]}, "answers"),
        ({"products": [1.0]}, "products"),
        ({"objections": ["x"] * 51}, "objections"),
    ],
)
def test_call_state_is_strict(values: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        CallState.model_validate(values)
    assert refused.value.errors()[0]["loc"][0] == field


def test_new_client_limits_and_dates() -> None:
    assert NewClient.model_validate({"surname": "А", "first_name": "Б", "birth_date": "1990-05-01"}).birth_date
    for bad in ({"birth_date": 0}, {"surname": "А" * 101}, {"phones": ["+79150000000"] * 11}, {"referrer_id": "5"}):
        with pytest.raises(ValidationError):
            NewClient.model_validate({"surname": "А", "first_name": "Б", **bad})


def test_contact_edit_limits() -> None:
    with pytest.raises(ValidationError):
        ContactEdit(phones=[PhoneInput(number="+7915")] * 11, expected_version=0)
    with pytest.raises(ValidationError):
        ContactEdit.model_validate({"expected_version": "3"})
