"""The plumbing of the remote Console: one httpx client, the bearer token, errors mapped back to
`core.errors` (a dead or slow server raises `StoreUnavailable` with a message fit for the status
line), answers parsed into the port's shapes. Each area's part is a mixin in this package."""

from __future__ import annotations

import functools
import threading
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from core.access.models import EmployeeInfo
from core.access.throttle import TooManyAttempts
from core.calls.rules import SlotFull
from core.clients.models import ClientSummary
from core.console import PossibleDuplicate
from core.errors import (
    AuthFailed,
    Conflict,
    CrmError,
    NotFound,
    NotSignedIn,
    PermissionDenied,
    StoreUnavailable,
    ValidationFailed,
)
from core.idempotency import IdempotencyMismatch

API = "/api/v1"
T = TypeVar("T")

_BY_STATUS: dict[int, type[CrmError]] = {
    401: NotSignedIn,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    422: ValidationFailed,
}
_BY_CODE: dict[str, type[CrmError]] = {
    "auth_failed": AuthFailed,
    "not_signed_in": NotSignedIn,
    "forbidden": PermissionDenied,
    "not_found": NotFound,
    "conflict": Conflict,
    "unavailable": StoreUnavailable,
}


class RemoteBase:
    """What every area's remote part uses: `_get`, `_send`, `_request`."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, headers={"User-Agent": "crm-console"})
        self._lock = threading.Lock()
        self._token: str | None = None
        self._me: EmployeeInfo | None = None

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RemoteBase:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        retries: int = 0,
        timeout: float | None = None,
    ) -> httpx.Response:
        all_headers = dict(headers or {})
        if self._token:
            all_headers["Authorization"] = f"Bearer {self._token}"
        attempt = 0
        while True:
            try:
                response = self._http.request(
                    method, API + path, json=json, params=params, headers=all_headers, timeout=timeout or self.timeout
                )
                break
            except httpx.TimeoutException:
                raise StoreUnavailable(
                    f"The server {self.base_url} did not answer within {timeout or self.timeout:g} s; try again."
                ) from None
            except httpx.TransportError as exc:
                if attempt < retries:
                    attempt += 1
                    continue
                raise StoreUnavailable(
                    f"Cannot reach the server {self.base_url} ({type(exc).__name__}); is it running?"
                ) from None
        if response.is_success:
            return response
        raise self._error(response)

    def _error(self, response: httpx.Response) -> CrmError:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("message"), str):
            if response.status_code >= 500:
                return StoreUnavailable(f"The server failed (HTTP {response.status_code}); try again.")
            return _BY_STATUS.get(response.status_code, CrmError)(f"The server refused (HTTP {response.status_code}).")
        code, message, field = body.get("error"), body["message"], body.get("field")
        if code == "duplicate":
            matches = _adapter(list[ClientSummary]).validate_python(body.get("matches") or [])
            return PossibleDuplicate(matches)
        if code == "idempotency_mismatch":
            return IdempotencyMismatch()
        if code == "too_many_attempts":
            retry = response.headers.get("Retry-After", "")
            return TooManyAttempts(int(retry) if retry.isascii() and retry.isdigit() else 60)
        if code == "slot_full":
            return SlotFull(message)
        if code == "conflict":  # `current` as sent: the area's part parses it into its shape
            return Conflict(message, current=body.get("current"))
        if code in _BY_CODE:
            if code == "not_signed_in":
                self._token, self._me = None, None
            return _BY_CODE[code](message)
        if response.status_code == 422 or code == "invalid":
            return ValidationFailed(message, field=field)
        if response.status_code >= 500:
            return StoreUnavailable(f"The server failed (HTTP {response.status_code}); try again.")
        return _BY_STATUS.get(response.status_code, CrmError)(message)

    def _get(self, path: str, shape: type[T] | Any, **params: Any) -> T:
        response = self._request("GET", path, params=params or None, retries=1)
        return _parse(shape, response)

    def _send(self, method: str, path: str, shape: type[T] | Any, body: Any = None, **kwargs: Any) -> T:
        if isinstance(body, BaseModel):
            body = body.model_dump(mode="json")
        return _parse(shape, self._request(method, path, json=body, **kwargs))


def _id(value: int) -> int:
    """Ids go into paths: refuse anything but an int before it reaches the URL."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed("An id is a whole number.", field="id")
    if value < 1 or value > 2**31 - 1:
        raise NotFound(f"No record with id {value}.")
    return value


@functools.lru_cache(maxsize=64)
def _adapter(shape: Any) -> TypeAdapter[Any]:
    return TypeAdapter(shape)


def _parse(shape: Any, response: httpx.Response) -> Any:
    if response.status_code == 204:
        return None
    try:
        if isinstance(shape, type) and issubclass(shape, BaseModel):
            return shape.model_validate_json(response.content)
        return _adapter(shape).validate_json(response.content)
    except ValueError:
        raise StoreUnavailable("The server answered something this console does not understand; update it.") from None
