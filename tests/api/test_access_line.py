"""The access line's formatter (`api.logs.AccessLine`): uvicorn's line, byte for byte, cheaper."""

from __future__ import annotations

import io
import logging

import pytest
from uvicorn.logging import AccessFormatter

from api.logs import AccessLine, NoQueryInAccessLog, RedactTracebacks, uvicorn_log_config

FMT = uvicorn_log_config()["formatters"]["access"]["fmt"]
TEMPLATE = '%s - "%s %s HTTP/%s" %d'  # uvicorn's access call (protocols/http/httptools_impl.py)


def _record(*args: object) -> logging.LogRecord:
    return logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, TEMPLATE, args, None)


@pytest.mark.parametrize(
    "args",
    [
        ("127.0.0.1:5000", "GET", "/api/v1/clients?…", "1.1", 200),
        ("10.0.0.2:41000", "POST", "/api/v1/calls", "1.1", 201),
        ("unknown", "GET", "/x", "2", 422),
        ("1.2.3.4:1", "GET", "/x", "1.1", 599),  # no phrase
    ],
)
def test_the_line_is_uvicorns(args: tuple[object, ...]) -> None:
    assert AccessLine(FMT, use_colors=False).format(_record(*args)) == AccessFormatter(FMT, use_colors=False).format(
        _record(*args)
    )


def test_colours_go_to_uvicorns_formatter() -> None:
    args = ("127.0.0.1:5000", "GET", "/x", "1.1", 200)
    coloured = AccessLine(FMT, use_colors=True).format(_record(*args))
    assert coloured == AccessFormatter(FMT, use_colors=True).format(_record(*args)) and "\x1b[" in coloured


def test_the_configured_access_log_keeps_no_query() -> None:
    config = uvicorn_log_config()
    assert config["formatters"]["access"]["()"] == "api.logs.AccessLine"
    assert config["handlers"]["access"]["filters"] == ["no_query", "redact"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # as the config builds it, on a logger of this test only
    handler.setFormatter(AccessLine(FMT, use_colors=False))
    handler.addFilter(NoQueryInAccessLog())
    handler.addFilter(RedactTracebacks())
    logger = logging.Logger("test.access")
    logger.addHandler(handler)
    logger.info(TEMPLATE, "127.0.0.1:5000", "GET", "/api/v1/clients?q=89121234567", "1.1", 200)
    assert stream.getvalue() == 'INFO:     127.0.0.1:5000 - "GET /api/v1/clients?… HTTP/1.1" 200 OK\n'


PHONE = "+79161234567"


def _written(*, filters: bool, log: object) -> str:
    """What a handler with the access formatter writes (with or without the configured filters)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(AccessLine(FMT, use_colors=False))
    if filters:
        handler.addFilter(NoQueryInAccessLog())
        handler.addFilter(RedactTracebacks())
    logger = logging.Logger("test.access.exc")
    logger.addHandler(handler)
    log(logger)  # type: ignore[operator]
    return stream.getvalue()


def _exception(logger: logging.Logger) -> None:
    try:
        raise KeyError(PHONE)
    except KeyError:
        logger.exception("lookup of %s failed", "the card")


def _access_with_exc_info(logger: logging.Logger) -> None:
    try:
        raise ValueError(PHONE)
    except ValueError:
        logger.info(TEMPLATE, "127.0.0.1:5000", "GET", f"/api/v1/clients?q={PHONE}", "1.1", 500, exc_info=True)


def _stack(logger: logging.Logger) -> None:
    logger.warning("where %s", "here", stack_info=True)


def _access_with_a_query(logger: logging.Logger) -> None:
    logger.info(TEMPLATE, "127.0.0.1:5000", "GET", f"/api/v1/clients?q={PHONE}", "1.1", 200)


@pytest.mark.parametrize("filters", [False, True])
@pytest.mark.parametrize(
    ("log", "line"),
    [
        (_exception, "ERROR:    lookup of the card failed [KeyError at tests/api/test_access_line.py:"),
        (
            _access_with_exc_info,
            'INFO:     127.0.0.1:5000 - "GET /api/v1/clients?… HTTP/1.1" 500 [ValueError at tests/api/test_access_line.py:',
        ),
        (_stack, "WARNING:  where here [exception; details withheld]"),
        (_access_with_a_query, 'INFO:     127.0.0.1:5000 - "GET /api/v1/clients?… HTTP/1.1" 200 OK'),
    ],
)
def test_any_record_is_one_line_without_client_data(log: object, line: str, filters: bool) -> None:
    """An exception logged on the access logger, a record with exc_info or a stack: one line, the
    type and place of the exception only; with the configured filters or without them."""
    text = _written(filters=filters, log=log)
    assert text.count("\n") == 1 and text.startswith(line), text
    assert PHONE not in text and PHONE[1:] not in text and "Traceback" not in text and "Stack" not in text, text
