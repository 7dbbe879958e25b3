"""A lean request handler for the hot `async` routes that bind their console and answer a Response
of their own (start_call, save_call): the same checks in the same order, minus FastAPI's general
machinery per request (its dependency solver, a throw-away sub-response, the content type parsed
with `email.message`, the endpoint's context for error messages).

A request the lean handler cannot take whole (another content type, a body that is not JSON,
any parameter or body that fails validation, dependency overrides) goes to FastAPI's own handler
from the start, which answers it exactly as before: the same 401 before 422, the same error bodies.
"""

from __future__ import annotations

import inspect
import json
import typing
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.dependencies.utils import request_params_to_args
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from api.deps import console_binder

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def takes_lean(route: APIRoute) -> bool:
    """An `async` endpoint whose one dependency is the console binder, with path and header
    parameters and one JSON body model, that answers a `Response` itself (its return annotation)."""
    dependant = route.dependant
    return (
        inspect.iscoroutinefunction(dependant.call)
        and not route.dependencies
        and len(dependant.dependencies) == 1
        and dependant.dependencies[0].call is console_binder
        and not (dependant.query_params or dependant.cookie_params)
        and len(dependant.body_params) == 1
        and route.body_field is not None
        and not route._embed_body_fields
        and typing.get_type_hints(dependant.call).get("return") is Response
    )


class LeanRoute(APIRoute):
    """An API route answered by `lean_handler` when it `takes_lean`, else as any APIRoute."""

    def get_route_handler(self) -> Handler:
        full = super().get_route_handler()
        return lean_handler(self, full) if takes_lean(self) else full


def lean_handler(route: APIRoute, full: Handler) -> Handler:
    dependant, body_field = route.dependant, route.body_field
    assert body_field is not None and dependant.call is not None
    endpoint, console_name = dependant.call, dependant.dependencies[0].name
    path_params, header_params = dependant.path_params, dependant.header_params
    overrides = route.dependency_overrides_provider
    body_loc = ("body",)

    async def handler(request: Request) -> Response:
        if (
            getattr(overrides, "dependency_overrides", None)
            or request.headers.get("content-type") != "application/json"
        ):
            return await full(request)
        try:
            data = json.loads(await request.body() or b"null")
        except HTTPException:
            raise  # the body limit's 413, which FastAPI's handler lets through too
        except Exception:  # not JSON, or a body that could not be read: FastAPI's own answer
            return await full(request)
        if data is None:
            return await full(request)
        unit = await console_binder(request)  # check_request and the token: raises as the dependency does
        values, errors = request_params_to_args(path_params, request.path_params)
        headers, header_errors = request_params_to_args(header_params, request.headers)
        value, body_errors = body_field.validate(data, values, loc=body_loc)
        if errors or header_errors or body_errors:
            return await full(request)
        values |= headers
        values[body_field.name] = value
        values[console_name] = unit  # type: ignore[index]
        response = await endpoint(**values)
        if not isinstance(response, Response):
            raise TypeError(f"{route.path}: a lean route answers a Response")
        return response

    return handler
