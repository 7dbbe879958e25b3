"""The fuzz's in-process client and object draws give what schemathesis's own give."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from schemathesis.generation.jsonschema import strategy as drawing
from schemathesis.python.asgi import ASGIClient

from tests.api import fuzz_draws
from tests.api.in_process import AppLoop


def _echo() -> tuple[Any, list[dict[str, Any]]]:
    """An ASGI app that answers with what it was sent, and a lifespan that fills its state."""
    seen: list[dict[str, Any]] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                scope["state"]["started"] = True
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        seen.append({**{k: v for k, v in scope.items() if k != "state"}, "body": body})
        answer = json.dumps({"path": scope["path"], "started": scope["state"].get("started", False)}).encode()
        headers = [(b"content-type", b"application/json"), (b"set-cookie", b"a=1"), (b"set-cookie", b"b=2")]
        await send({"type": "http.response.start", "status": 201, "headers": headers})
        await send({"type": "http.response.body", "body": answer[:5], "more_body": True})
        await send({"type": "http.response.body", "body": answer[5:]})

    return app, seen


REQUESTS = [
    ("POST", "/a%20b/c", {"params": {"q": ["x y", "ü"], "e": ""}, "json": {"name": "Ёлка"}}),
    ("GET", "/", {"headers": {"X-Odd": "välue", "Host": "other:8080"}}),
    ("PUT", "/raw", {"data": b"\x00\xff", "headers": {"Content-Type": "application/octet-stream"}}),
    ("HEAD", "/head", {}),
]


def test_the_loop_client_sends_what_schemathesis_s_client_sends() -> None:
    """The same scope and body reach the app; the answers read back alike (status, headers,
    cookies, body); the lifespan ran before the first request and its state reaches it."""
    theirs, seen_by_theirs = _echo()
    ours, seen_by_ours = _echo()
    answers = []
    loop = AppLoop()
    try:
        loop.start(ours)
        with ASGIClient(theirs) as reference:
            reference.trust_env = False
            client = loop.client(ours)
            for method, path, kwargs in REQUESTS:
                expected, got = reference.request(method, path, **kwargs), client.request(method, path, **kwargs)
                assert (got.status_code, got.reason, got.content) == (
                    expected.status_code,
                    expected.reason,
                    expected.content,
                )
                assert (
                    got.raw.headers.getlist("set-cookie")
                    == expected.raw.headers.getlist("set-cookie")
                    == ["a=1", "b=2"]
                )
                assert dict(got.cookies) == dict(expected.cookies) == {"a": "1", "b": "2"}
                assert got.encoding == expected.encoding
                answers.append(got.json() if got.content else None)
    finally:
        loop.close()
    assert seen_by_ours == seen_by_theirs and len(seen_by_ours) == len(REQUESTS)
    assert seen_by_ours[0]["client"] == ["testclient", 50000] and (b"host", b"other:8080") in seen_by_ours[1]["headers"]
    assert answers[0] == {"path": "/a b/c", "started": True}


def test_an_app_error_reaches_the_caller_and_the_loop_goes_on() -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            raise RuntimeError("no lifespan")  # as an app without one: the loop does not need it
        if scope["path"] == "/boom":
            raise ValueError("boom")
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    loop = AppLoop()
    try:
        with pytest.raises(RuntimeError, match="no lifespan"):
            loop.start(app)
        client = loop.client(app)
        with pytest.raises(ValueError, match="boom"):
            client.get("/boom")
        assert client.get("/fine").status_code == 204
    finally:
        loop.close()


OBJECT = ({"id": st.integers(0, 9)}, {"name": st.text(max_size=3), "tags": st.lists(st.booleans(), max_size=2)})


def _drawn(build: Any, *args: Any) -> list[Any]:
    values: list[Any] = []

    @settings(derandomize=True, database=None, max_examples=60)
    @given(build(*OBJECT, st.sets(st.sampled_from(sorted(OBJECT[1]))), *args))
    def draw(value: Any) -> None:
        values.append(value)

    draw()
    return values


def test_the_object_draws_are_schemathesis_s_own() -> None:
    """For the same choices, the kept strategies draw the same objects as schemathesis's functions,
    which are replaced only while its module is the one read (`fuzz_draws.SOURCE`)."""
    assert fuzz_draws.source_digest() == fuzz_draws.SOURCE, "schemathesis changed: compare the two functions again"
    assert _drawn(fuzz_draws.named_object) == _drawn(drawing._named_object)
    collect = lambda low, high: st.dictionaries(st.sampled_from("xyz"), st.none(), min_size=low, max_size=high)  # noqa: E731
    assert _drawn(fuzz_draws.drawn_object, collect, 2, 3) == _drawn(drawing._drawn_object, collect, 2, 3)
