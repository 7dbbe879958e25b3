"""Secrets at rest (issue 8, defect 10): code digests keyed outside the database, used and expired
codes redacted in the outbox, idempotency records holding only what the employee may see."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

from sqlalchemy import select

from core.access import sign_in as policy
from core.access.rules import mask_phone
from core.console import LocalConsole
from storage import secret
from storage.engine import read
from storage.tables_access import IdempotencyKeyRow
from tests.helpers import PASSWORD, Crm, new_client


def test_the_code_digest_needs_the_server_secret(crm: Crm) -> None:
    """A copy of the database alone does not yield the code by trying all 10**6 values."""
    crm.add_employee("ann", role="operator")
    challenge = crm.new_console().sign_in("ann", PASSWORD)
    code = crm.last_code("ann")
    (row,) = crm.rows_by_key("auth_challenge", challenge.challenge_id)
    # what the digest used to be: keyed with the challenge id stored beside it
    assert row.digest != hmac.new(challenge.challenge_id.encode(), code.encode(), hashlib.sha256).hexdigest()
    key_file = Path(os.environ["CRM_SECRET_FILE"])
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = bytes.fromhex(key_file.read_text().strip())
    assert row.digest == policy.code_digest(key, challenge.challenge_id, code)


def test_the_secret_file_is_made_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "new-folder" / "server.key"
    first = secret.load_or_create(path)
    assert len(first) == secret.SECRET_BYTES
    assert secret.load_or_create(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def _code_texts(crm: Crm) -> list[str]:
    return [r.text for r in crm.rows("sms_outbox", purpose="sign_in_code")]


def test_a_used_code_is_redacted_in_the_outbox(crm: Crm) -> None:
    crm.add_employee("ann", role="operator")
    console = crm.new_console()
    challenge = console.sign_in("ann", PASSWORD)
    code = crm.last_code("ann")  # a fresh code stays readable for the local demo
    console.verify_code(challenge.challenge_id, code)
    assert _code_texts(crm) == [policy.SIGN_IN_SMS_REDACTED]
    assert code not in policy.SIGN_IN_SMS_REDACTED


def test_an_expired_code_is_redacted_and_a_fresh_one_stays(crm: Crm) -> None:
    crm.add_employee("ann", role="operator")
    crm.new_console().sign_in("ann", PASSWORD)
    expired = crm.last_code("ann")
    crm.clock.advance(minutes=6)
    crm.new_console().sign_in("ann", PASSWORD)
    fresh = crm.last_code("ann")
    texts = _code_texts(crm)
    assert texts[0] == policy.SIGN_IN_SMS_REDACTED and expired not in texts[0]
    assert fresh in texts[1]


def test_the_outbox_listing_redacts_expired_codes(crm: Crm) -> None:
    from storage.local import read_outbox

    crm.add_employee("ann", role="operator")
    crm.new_console().sign_in("ann", PASSWORD)
    code = crm.last_code("ann")
    assert code in read_outbox(crm.target, 10, crm.clock.now())[0].text
    later = crm.clock.now() + policy.CODE_TTL
    assert read_outbox(crm.target, 10, later)[0].text == policy.SIGN_IN_SMS_REDACTED
    assert _code_texts(crm) == [policy.SIGN_IN_SMS_REDACTED]


def test_the_idempotency_record_of_a_masked_employee_holds_no_number(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console)
    operator = crm.console("olga", role="operator")
    phone_id = operator.open_card(card.id).phones[0].id
    first = operator.send_sms(card.id, "halva_info", phone_id=phone_id, idempotency_key="retry-key-0001")
    again = operator.send_sms(card.id, "halva_info", phone_id=phone_id, idempotency_key="retry-key-0001")
    assert first.to == again.to == mask_phone("+79123456789")
    with read(crm.engine) as conn:
        (response,) = conn.scalars(select(IdempotencyKeyRow.response)).all()
    assert "79123456789" not in response
    assert crm.count("sms_outbox", client_id=card.id) == 1
