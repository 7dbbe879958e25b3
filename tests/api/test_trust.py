"""Trust at the HTTP edge, in-process: no 5xx for odd input, limits (413 and 422), strict types,
time zones, security headers, 405 with a true `Allow`, and a 500 that tells nothing."""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.logs import RedactTracebacks
from api.middleware import MAX_BODY_BYTES
from core.console import LocalConsole
from tests.api.test_http import sign_in
from tests.api.world import World, unique_phone
from tests.call_world import SCRIPTS, add_campaign, add_member
from tests.helpers import MAIN_DESK

V1 = "/api/v1"
SECURITY_HEADERS = {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


@pytest.fixture(scope="module")
def sqlite_world(module_sqlite_world: World) -> World:
    """One world for the module: each test makes its own cards and campaigns."""
    return module_sqlite_world


@pytest.fixture(scope="module")
def http(sqlite_world: World) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_world.target)) as client:
        yield client


@pytest.fixture(scope="module")
def office(http: TestClient, sqlite_world: World) -> dict[str, str]:
    """An office specialist of desk A: creates clients, writes comments, sees contacts."""
    return sign_in(http, sqlite_world, "off_a")


@pytest.fixture(scope="module")
def operator(http: TestClient, sqlite_world: World) -> dict[str, str]:
    """An operator of desk A, signed in once for the module."""
    return sign_in(http, sqlite_world, "op_a")


def arabic_indic(number: int) -> str:
    return "".join(chr(0x0660 + int(d)) for d in str(number))


# --- defect 2: any query, no 5xx ----------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["¹", "²", "٣", "３", "①", "᧚", "id:¹", "id:᧚", "𝟗", "12¹", "+٧ ⑨", "\u00b2\u00b3" * 50]
)
def test_search_takes_any_digits_without_an_error(http: TestClient, office: dict[str, str], query: str) -> None:
    answer = http.get(f"{V1}/clients", params={"q": query}, headers=office)
    assert answer.status_code in (200, 422), answer.text
    assert answer.json() == [] or "error" in answer.json() or isinstance(answer.json(), list)


def test_digits_of_other_scripts_find_the_card(http: TestClient, sqlite_world: World, office: dict[str, str]) -> None:
    card = sqlite_world.client("A")
    by_id = http.get(f"{V1}/clients", params={"q": arabic_indic(card.id)}, headers=office).json()
    assert [s["id"] for s in by_id] == [card.id]
    fullwidth = "".join(chr(ord("０") + int(d)) if d.isdigit() else d for d in card.phones[0].number)
    by_phone = http.get(f"{V1}/clients", params={"q": fullwidth}, headers=office).json()
    assert [s["id"] for s in by_phone] == [card.id]


def test_an_unexpected_error_answers_500_and_logs_no_request_data(
    http: TestClient, office: dict[str, str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    phone = unique_phone()

    def boom(self: LocalConsole, query: str, limit: int = 50) -> list[Any]:
        secret = query  # a local a traceback printer could show
        raise ValueError(f"cannot search {secret}")

    monkeypatch.setattr(LocalConsole, "search", boom)
    with caplog.at_level(logging.INFO):
        answer = http.get(f"{V1}/clients", params={"q": phone}, headers=office)
    assert answer.status_code == 500
    rid = answer.headers["x-request-id"]
    assert answer.json() == {"error": "internal", "message": f"Internal server error (request {rid})."}
    server = [r for r in caplog.records if not r.name.startswith("httpx")]  # httpx: the test's own client
    logged = "\n".join(logging.Formatter().format(r) for r in server)
    assert "ValueError at tests/api/test_trust.py" in logged and rid in logged
    assert phone not in logged and phone[2:] not in logged and "cannot search" not in logged


def test_the_log_filter_keeps_only_the_type_place_and_request_id() -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RedactTracebacks())
    logger = logging.getLogger("crm.test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    phone = unique_phone()
    try:
        try:
            raise KeyError(phone)
        except KeyError:
            logger.exception("lookup failed")
        logger.error("bad input: %s", ValueError(phone))
        logger.error(LookupError(phone))
        logger.warning("where %s", "here", stack_info=True)
    finally:
        logger.removeHandler(handler)
    text = out.getvalue()
    assert phone not in text and "Traceback" not in text and "Stack (most recent call last)" not in text
    assert "lookup failed [KeyError at tests/api/test_trust.py:" in text
    assert "bad input: ValueError" in text and "LookupError" in text and "where here" in text


# --- defect 3: sizes ----------------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    http: TestClient, sqlite_world: World, office: dict[str, str]
) -> None:
    card = sqlite_world.client("A")
    big = b'{"text": "' + b"x" * (20 * 1024 * 1024) + b'"}'
    answer = http.post(f"{V1}/clients/{card.id}/comments", content=big, headers=office)
    assert answer.status_code == 413 and answer.json()["error"] == "too_large"
    assert set(SECURITY_HEADERS.items()) <= set(answer.headers.items())

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"text": "'
        for _ in range(20):
            yield b"y" * 8192
        yield b'"}'

    streamed = http.post(f"{V1}/clients/{card.id}/comments", content=chunks(), headers=office)
    assert streamed.status_code == 413
    assert sqlite_world.crm.count("contact", client_id=card.id, kind="comment") == 0


def test_the_body_limit_is_configurable(sqlite_world: World) -> None:
    with TestClient(create_app(sqlite_world.target, max_body=1000)) as small:
        headers = sign_in(small, sqlite_world, "off_a")
        card = sqlite_world.client("A")
        assert (
            small.post(f"{V1}/clients/{card.id}/comments", json={"text": "x" * 900}, headers=headers).status_code == 201
        )
        assert (
            small.post(f"{V1}/clients/{card.id}/comments", json={"text": "x" * 1100}, headers=headers).status_code
            == 413
        )
    assert MAX_BODY_BYTES == 64 * 1024


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/clients", {"surname": "Д", "first_name": "Д", "comment": "x" * 2001}, "comment"),
        ("/clients", {"surname": "Д" * 101, "first_name": "Д"}, "surname"),
        ("/clients/duplicates", {"surname": "Д", "first_name": "Д", "phones": ["+79150000000"] * 11}, "phones"),
        ("/clients/duplicates", {"surname": "Д", "first_name": "Д", "email": "a" * 250 + "@b.ru"}, "email"),
    ],
)
def test_text_and_list_maxima(
    http: TestClient, office: dict[str, str], path: str, body: dict[str, Any], field: str
) -> None:
    answer = http.post(V1 + path, json=body, headers=office)
    assert answer.status_code == 422 and answer.json()["field"] == field, answer.text


def test_every_input_in_the_openapi_document_has_a_maximum(http: TestClient) -> None:
    """Every string of a request body or parameter has maxLength (dates have a format), every
    list maxItems, every integer a maximum."""
    doc = http.get("/openapi.json").json()
    missing: list[str] = []

    def check(schema: dict[str, Any], where: str) -> None:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            check(doc["components"]["schemas"][name], name)
            return
        for option in schema.get("anyOf", []):
            check(option, where)
        kind = schema.get("type")
        if kind == "string" and "format" not in schema and "maxLength" not in schema and "enum" not in schema:
            missing.append(where)
        if kind == "array":
            if "maxItems" not in schema:
                missing.append(where)
            check(schema["items"], f"{where}[]")
        if kind == "integer" and "maximum" not in schema:
            missing.append(where)
        for prop, sub in schema.get("properties", {}).items():
            check(sub, f"{where}.{prop}")

    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            for param in op.get("parameters", []):
                check(param["schema"], f"{method} {path} {param['name']}")
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                check(body, f"{method} {path} body")
    assert not missing, missing


# --- defect 8 and 13: time zones, strict types ----------------------------------------------


@pytest.fixture
def call(operator: dict[str, str], sqlite_world: World) -> tuple[dict[str, str], dict[str, Any]]:
    """An operator of desk A and the body of a valid call result of a client on a list."""
    headers = operator
    campaign = add_campaign(
        sqlite_world.crm, f"trust_{unique_phone()[4:]}", desk=MAIN_DESK, script=SCRIPTS["halva_cross_sell"]
    )
    card = sqlite_world.client("A")
    add_member(sqlite_world.crm, campaign, card.id)
    started = datetime.now(UTC) - timedelta(minutes=2)
    body = {
        "client_id": card.id,
        "campaign_id": campaign,
        "started_at": started.isoformat(),
        "result": "not_reached",
        "reason": "no_answer",
    }
    return headers, body


@pytest.mark.parametrize("field", ["started_at", "ended_at", "next_at", "visit_at"])
def test_a_time_without_a_time_zone_is_refused(
    http: TestClient, call: tuple[dict[str, str], dict[str, Any]], field: str
) -> None:
    headers, body = call
    naive = (datetime.now(UTC) - timedelta(minutes=1)).replace(tzinfo=None).isoformat()
    answer = http.post(f"{V1}/calls", json={**body, field: naive}, headers=headers)
    assert answer.status_code == 422 and answer.json()["field"] == field
    assert "time zone" in answer.json()["message"]


def test_a_time_with_its_offset_is_taken(http: TestClient, call: tuple[dict[str, str], dict[str, Any]]) -> None:
    headers, body = call
    moscow = datetime.fromisoformat(body["started_at"]).astimezone(UTC).replace(tzinfo=None) + timedelta(hours=3)
    answer = http.post(f"{V1}/calls", json={**body, "started_at": moscow.isoformat() + "+03:00"}, headers=headers)
    assert answer.status_code == 201, answer.text
    assert datetime.fromisoformat(answer.json()["at"]) == datetime.fromisoformat(body["started_at"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"client_id": "123"}, "client_id"),
        ({"campaign_id": 1.0}, "campaign_id"),
        ({"campaign_id": True}, "campaign_id"),
        ({"state": {"reached": 0}}, "reached"),
        ({"state": {"answers": ["1"]}}, "0"),
        ({"started_at": 1741600000}, "started_at"),
        ({"result": 5}, "result"),
    ],
)
def test_loose_types_are_refused(
    http: TestClient, call: tuple[dict[str, str], dict[str, Any]], change: dict[str, Any], field: str
) -> None:
    headers, body = call
    answer = http.post(f"{V1}/calls", json={**body, **change}, headers=headers)
    assert answer.status_code == 422 and answer.json()["field"] == field, answer.text


def test_dates_stay_iso_text(http: TestClient, office: dict[str, str]) -> None:
    draft = {"surname": "Датов", "first_name": "Д", "phones": [unique_phone()], "birth_date": "1990-05-01"}
    assert http.post(f"{V1}/clients", json=draft, headers=office).status_code == 201
    assert http.post(f"{V1}/clients/duplicates", json={**draft, "birth_date": 0}, headers=office).status_code == 422


# --- defect 11 and 13: headers, methods -----------------------------------------------------


def test_every_answer_carries_the_security_headers(
    http: TestClient, sqlite_world: World, office: dict[str, str]
) -> None:
    answers = [
        http.get("/health"),
        http.get("/openapi.json"),
        http.get(f"{V1}/auth/me"),  # 401
        http.get(f"{V1}/clients", params={"q": "x"}, headers=office),
        http.get(f"{V1}/clients/2000000000", headers=office),  # 404
        http.get(f"{V1}/clients", params={"q": "+7 912"}, headers=office),  # 422
        http.get(f"{V1}/clients/duplicates", headers=office),  # 405
    ]
    for answer in answers:
        assert set(SECURITY_HEADERS.items()) <= set(answer.headers.items()), answer.request.url
        assert answer.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert "access-control-allow-origin" not in answer.headers


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_allow_only_what_they_load(http: TestClient, page: str) -> None:
    answer = http.get(page)
    assert answer.status_code == 200 and answer.headers["x-frame-options"] == "DENY"
    csp = dict(d.strip().split(" ", 1) for d in answer.headers["content-security-policy"].split(";"))
    assert csp["default-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert csp["script-src"].startswith("https://cdn.jsdelivr.net")
    for src in re.findall(r'<script src="([^"]+)"', answer.text):
        assert src.startswith("https://cdn.jsdelivr.net/"), src
    for inline in re.findall(r"<script>(.*?)</script>", answer.text, re.S):
        digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp["script-src"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]


def test_no_cors(http: TestClient) -> None:
    preflight = http.options(
        f"{V1}/clients", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 405 and "access-control-allow-origin" not in preflight.headers


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/clients/duplicates", "POST"),
        ("PUT", "/clients/duplicates", "POST"),
        ("OPTIONS", "/clients", "GET, POST"),
        ("DELETE", "/clients/1", "GET"),
        ("GET", "/calls", "POST"),
        ("POST", "/clients/1/personal", "PUT"),
    ],
)
def test_a_wrong_method_answers_405_with_every_allowed_one(
    http: TestClient, method: str, path: str, allow: str
) -> None:
    answer = http.request(method, V1 + path)
    assert answer.status_code == 405 and answer.json()["error"] == "method_not_allowed"
    assert answer.headers["allow"] == allow


def test_a_long_comment_gets_the_domain_message(http: TestClient, sqlite_world: World, office: dict[str, str]) -> None:
    card = sqlite_world.client("A")
    answer = http.post(f"{V1}/clients/{card.id}/comments", json={"text": "к" * 2001}, headers=office)
    assert answer.status_code == 422
    assert answer.json() == {
        "error": "invalid",
        "message": "The comment is longer than 2000 characters.",
        "field": "comment",
    }
