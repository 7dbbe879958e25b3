"""Every sync signed-in route in one unit of work and one thread hop (`in_unit`).

A route taking `SignedInConsole` gets, instead of its endpoint, an `async` wrapper of the same
signature (`functools.wraps`: FastAPI reads the endpoint's parameters, the OpenAPI document is the
same). The wrapper makes one thread hop (`api.deps.in_unit_thread`), opens `storage.engine.unit_of_work`, signs the token in
there (its lookup on the unit's connection), runs the endpoint and commits the read transaction
left open. FastAPI then checks the answer on the event loop, as for any `async` route, instead of
a hop of its own. A bad token raises NotSignedIn at the bind: the same 401 body as before.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.deps import SignIn, in_unit_thread, signed_in_console
from storage.engine import unit_of_work

UNIT_MARK = "__crm_unit__"  # set on a wrapped endpoint (tests/api/test_unit_routes.py)


def _nested(dependant: Dependant) -> Iterator[Dependant]:
    for sub in dependant.dependencies:
        yield sub
        yield from _nested(sub)


def in_unit(route: APIRoute) -> Callable[..., Any]:
    """The route's endpoint as the flat route list takes it: wrapped when it takes the signed-in
    console as a parameter of its own, else as it is. A route the wrapper cannot serve is refused
    when the app is made."""
    names = tuple(sub.name for sub in route.dependant.dependencies if sub.call is signed_in_console)
    endpoint, plain = route.endpoint, inspect.unwrap(route.endpoint)
    deeper = any(d.call is signed_in_console for sub in route.dependant.dependencies for d in _nested(sub))
    if deeper or None in names:
        raise TypeError(f"{route.path}: only an endpoint's own parameter may be the signed-in console")
    if not names:
        return endpoint
    if inspect.iscoroutinefunction(plain):
        raise TypeError(f"{route.path}: an async route binds its console with BindConsole")
    if inspect.isgeneratorfunction(plain) or inspect.isasyncgenfunction(plain):
        raise TypeError(f"{route.path}: a streaming route would run after its unit of work ends")

    @functools.wraps(endpoint)
    async def unit_endpoint(**values: Any) -> Any:
        return await in_unit_thread(_run, endpoint, names, values)

    setattr(unit_endpoint, UNIT_MARK, True)
    return unit_endpoint


def _run(endpoint: Callable[..., Any], names: tuple[str | None, ...], values: dict[str, Any]) -> Any:
    sign_in: SignIn = values[names[0]]  # type: ignore[index]
    with unit_of_work(sign_in.state.repo.engine):
        console = sign_in.bind()
        return endpoint(**values | dict.fromkeys(names, console))  # one console for every such name
