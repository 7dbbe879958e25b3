"""S1: a change of password, role, desks or activity ends every session of the employee at once
(issue 8, defect 9): the token keeps the employee's auth_version, every change raises it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from core.access.tokens import SESSION_ENDED, Sessions
from core.errors import NotSignedIn
from storage.users import disable, set_desks, set_password, set_role
from tests.helpers import MAIN_DESK, Crm

CHANGES: dict[str, Callable[[Engine, str], None]] = {
    "password": lambda engine, login: set_password(engine, login, "a-new-password"),
    "disable": disable,
    "role": lambda engine, login: set_role(engine, login, "control"),
    "desks": lambda engine, login: set_desks(engine, login, []),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_ends_every_token_of_the_employee(crm: Crm, change: str) -> None:
    crm.add_employee("ann", role="operator", desks=(MAIN_DESK,))
    crm.add_employee("bob", role="operator", desks=(MAIN_DESK,))
    sessions = Sessions(crm.repo, crm.clock)
    ann_id = crm.sign_in("ann").whoami().id
    bob_id = crm.sign_in("bob").whoami().id
    ann_tokens = [sessions.issue(ann_id)[0] for _ in range(3)]  # three terminals
    bob_token, _ = sessions.issue(bob_id)

    CHANGES[change](crm.engine, "ann")

    for token in ann_tokens:
        with pytest.raises(NotSignedIn, match=SESSION_ENDED):
            sessions.employee_of(token)
    assert sessions.employee_of(bob_token) == bob_id  # nobody else is touched
    if change != "disable":
        fresh, _ = sessions.issue(ann_id)  # signing in again works
        assert sessions.employee_of(fresh) == ann_id
