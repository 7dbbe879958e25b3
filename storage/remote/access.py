"""Sign-in over HTTP (`core.access.port.AccessPort`)."""

from __future__ import annotations

from core.access.models import EmployeeInfo, SessionInfo, SignInChallenge
from core.errors import (
    CrmError,
    NotSignedIn,
)
from storage.remote.base import RemoteBase


class RemoteAccess(RemoteBase):
    def sign_in(self, login: str, password: str) -> SignInChallenge:
        return self._send("POST", "/auth/login", SignInChallenge, {"login": login, "password": password})

    def verify_code(self, challenge_id: str, code: str) -> SessionInfo:
        info = self._send("POST", "/auth/verify", SessionInfo, {"challenge_id": challenge_id, "code": code})
        with self._lock:
            self._token, self._me = info.access_token, info.employee
        return info

    def sign_out(self) -> None:
        if self._token is None:
            return
        try:
            self._request("POST", "/auth/logout")
        except CrmError:
            pass  # the session ends here whatever the server says; its token dies on the idle limit
        finally:
            with self._lock:
                self._token, self._me = None, None

    def whoami(self) -> EmployeeInfo:
        if self._me is None:
            raise NotSignedIn()
        return self._me
