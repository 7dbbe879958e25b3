"""The access area's part of the Console port: sign-in and who is signed in (S1)."""

from __future__ import annotations

from typing import Protocol

from core.access.models import EmployeeInfo, SessionInfo, SignInChallenge


class AccessPort(Protocol):
    def sign_in(self, login: str, password: str) -> SignInChallenge: ...
    def verify_code(self, challenge_id: str, code: str) -> SessionInfo: ...
    def sign_out(self) -> None: ...
    def whoami(self) -> EmployeeInfo: ...
