"""The Console port over HTTP (httpx): `crm --server URL`.

The operator cannot tell it from the local console except by speed: the same shapes come back and
the same `core.errors` are raised. A dead or slow server raises `StoreUnavailable` with a message
fit for the status line.
"""

from __future__ import annotations

import functools
import threading
import uuid
from datetime import date
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from core.call_rules import SlotFull
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
from core.models import (
    CallListInfo,
    CallResult,
    CallStart,
    CallState,
    CampaignInfo,
    ClientCard,
    ClientSummary,
    ContactEdit,
    CreditDecision,
    EmployeeInfo,
    HistoryEntry,
    NewClient,
    Office,
    OfficeSlot,
    OutboxItem,
    PersonalEdit,
    PhoneStrike,
    ProductOption,
    Region,
    ResultOption,
    ScriptInfo,
    SessionInfo,
    SignInChallenge,
    SmsTemplate,
    Town,
)
from core.throttle import TooManyAttempts
from storage.remote_reports import RemoteReports

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


class RemoteConsole(RemoteReports):
    """Implements `core.port.Console` against the API served by `crm serve`."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, headers={"User-Agent": "crm-console"})
        self._lock = threading.Lock()
        self._token: str | None = None
        self._me: EmployeeInfo | None = None

    # --- plumbing -----------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RemoteConsole:
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
    ) -> httpx.Response:
        all_headers = dict(headers or {})
        if self._token:
            all_headers["Authorization"] = f"Bearer {self._token}"
        attempt = 0
        while True:
            try:
                response = self._http.request(method, API + path, json=json, params=params, headers=all_headers)
                break
            except httpx.TimeoutException:
                raise StoreUnavailable(
                    f"The server {self.base_url} did not answer within {self.timeout:g} s; try again."
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

    # --- sign-in ------------------------------------------------------------------------

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

    # --- finding a client ---------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[ClientSummary]:
        return self._get("/clients", list[ClientSummary], q=query, limit=max(1, min(limit, 500)))

    def find_duplicates(self, draft: NewClient) -> list[ClientSummary]:
        return self._send("POST", "/clients/duplicates", list[ClientSummary], draft)

    # --- the card -----------------------------------------------------------------------

    def open_card(self, client_id: int, history_limit: int = 50) -> ClientCard:
        return self._get(f"/clients/{_id(client_id)}", ClientCard, history_limit=max(0, min(history_limit, 500)))

    def history(self, client_id: int, offset: int = 0, limit: int = 50) -> list[HistoryEntry]:
        return self._get(
            f"/clients/{_id(client_id)}/history",
            list[HistoryEntry],
            offset=max(0, offset),
            limit=max(1, min(limit, 500)),
        )

    def edit_personal(self, client_id: int, edit: PersonalEdit) -> ClientCard:
        return self._send("PUT", f"/clients/{_id(client_id)}/personal", ClientCard, edit)

    def edit_contacts(self, client_id: int, edit: ContactEdit) -> ClientCard:
        return self._send("PUT", f"/clients/{_id(client_id)}/contacts", ClientCard, edit)

    def strike_phone(self, client_id: int, strike: PhoneStrike) -> ClientCard:
        return self._send("POST", f"/clients/{_id(client_id)}/phone-strikes", ClientCard, strike)

    def add_comment(self, client_id: int, text: str) -> HistoryEntry:
        return self._send("POST", f"/clients/{_id(client_id)}/comments", HistoryEntry, {"text": text})

    def sms_templates(self) -> list[SmsTemplate]:
        return self._get("/sms-templates", list[SmsTemplate])

    def send_sms(
        self,
        client_id: int,
        template_code: str,
        number: str | None = None,
        phone_id: int | None = None,
        idempotency_key: str | None = None,
    ) -> OutboxItem:
        """Safe to retry: without a key of the caller's, one is made for this call and a broken
        connection is retried with it, so the SMS goes at most once."""
        key = idempotency_key or f"crm-{uuid.uuid4()}"
        body = {"template_code": template_code, "number": number, "phone_id": phone_id}
        return self._send(
            "POST", f"/clients/{_id(client_id)}/sms", OutboxItem, body, headers={"Idempotency-Key": key}, retries=2
        )

    def create_client(self, draft: NewClient, allow_duplicate: bool = False) -> ClientCard:
        params = {"allow_duplicate": "true"} if allow_duplicate else None
        return self._send("POST", "/clients", ClientCard, draft, params=params)

    # --- reference data -----------------------------------------------------------------

    def regions(self) -> list[Region]:
        return self._get("/regions", list[Region])

    def towns(self, region_id: int) -> list[Town]:
        return self._get(f"/regions/{_id(region_id)}/towns", list[Town])

    # --- the call -----------------------------------------------------------------------

    def campaigns_for(self, client_id: int) -> list[CampaignInfo]:
        return self._get(f"/clients/{_id(client_id)}/campaigns", list[CampaignInfo])

    def call_lists(self) -> list[CallListInfo]:
        return self._get("/call-lists", list[CallListInfo])

    def next_client(self, campaign_id: int) -> ClientCard | None:
        return self._send("POST", f"/campaigns/{_id(campaign_id)}/next-client", ClientCard | None)

    def start_call(self, client_id: int, campaign_id: int, phone_id: int | None = None) -> CallStart:
        body = {"campaign_id": campaign_id, "phone_id": phone_id}
        return self._send("POST", f"/clients/{_id(client_id)}/calls/start", CallStart, body)

    def script(self, campaign_id: int) -> ScriptInfo:
        return self._get(f"/campaigns/{_id(campaign_id)}/script", ScriptInfo)

    def result_options(self, client_id: int, campaign_id: int, state: CallState | None = None) -> list[ResultOption]:
        body = {"campaign_id": campaign_id, "state": state.model_dump(mode="json") if state else None}
        return self._send("POST", f"/clients/{_id(client_id)}/calls/options", list[ResultOption], body)

    def offices(
        self, region_id: int | None = None, town_id: int | None = None, keyword: str | None = None
    ) -> list[Office]:
        params = {"region_id": region_id, "town_id": town_id, "keyword": keyword}
        return self._get("/offices", list[Office], **{k: v for k, v in params.items() if v is not None})

    def office(self, office_id: int) -> Office:
        return self._get(f"/offices/{_id(office_id)}", Office)

    def office_slots(self, office_id: int, date_from: date, days: int = 7) -> list[OfficeSlot]:
        return self._get(
            f"/offices/{_id(office_id)}/slots", list[OfficeSlot], date_from=date_from.isoformat(), days=days
        )

    def products(self) -> list[ProductOption]:
        return self._get("/products", list[ProductOption])

    def credit_decision(
        self,
        client_id: int,
        campaign_id: int,
        state: CallState,
        passport_series: str | None = None,
        passport_number: str | None = None,
        birth_date: date | None = None,
    ) -> CreditDecision:
        body = {
            "campaign_id": campaign_id,
            "state": state.model_dump(mode="json"),
            "passport_series": passport_series,
            "passport_number": passport_number,
            "birth_date": birth_date.isoformat() if birth_date else None,
        }
        return self._send("POST", f"/clients/{_id(client_id)}/calls/credit-decision", CreditDecision, body)

    def save_call(self, call: CallResult, idempotency_key: str | None = None) -> HistoryEntry:
        """Safe to retry like send_sms: one key per call of this method unless the caller gives one."""
        key = idempotency_key or f"crm-{uuid.uuid4()}"
        return self._send("POST", "/calls", HistoryEntry, call, headers={"Idempotency-Key": key}, retries=2)


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
