"""M3: the client's notices of a decided money request, an SMS and an e-mail from templates in
the client's language (Russian the default)."""

from __future__ import annotations

from datetime import datetime

from core.delivery.templates import EmailTemplate, render
from core.outbox import NewEmail, NewSms
from core.trading.rules import KIND_WORDS, REJECTION_SMS
from core.trading.store import RequestFacts
from core.vocab import SmsPurpose

REJECTED = "money_request_rejected"
EXECUTED = "money_request_executed"
EXECUTION_SMS = {
    "ru": "{first_name}, ваша заявка на {kind} {amount} исполнена.",
    "en": "{first_name}, your {kind} request of {amount} was executed.",
}


def money_notices(
    facts: RequestFacts,
    executed: bool,
    reason: str,
    templates: dict[str, EmailTemplate],
    employee_id: int | None,
    now: datetime,
) -> tuple[NewSms | None, NewEmail | None]:
    """The SMS (to the mobile) and the e-mail (to the first address) the client has; None where not."""
    lang = facts.language if facts.language in REJECTION_SMS else "ru"
    fields = {
        "first_name": facts.first_name,
        "kind": KIND_WORDS[lang][facts.kind],
        "amount": f"{facts.amount:.2f} {facts.currency}",
        "reason": reason,
    }
    code = EXECUTED if executed else REJECTED
    about = {"created_at": now, "client_id": facts.client_id, "employee_id": employee_id, "template_code": code}
    sms = email = None
    if facts.mobile:
        text = (EXECUTION_SMS if executed else REJECTION_SMS)[lang].format(**fields)
        sms = NewSms(to=facts.mobile, text=text, purpose=SmsPurpose.CLIENT.value, **about)
    template = templates.get(code)
    if facts.email and template is not None:
        subject, body = render(template, facts.language, **fields)
        email = NewEmail(to=facts.email, subject=subject, body=body, purpose=SmsPurpose.CLIENT.value, **about)
    return sms, email
