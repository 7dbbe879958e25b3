"""Sign-in over HTTP (S1): login + password, then the one-time code, then a bearer token."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel

from api.deps import AnonymousConsole, SignedInConsole, State, Token
from api.errors import responses
from core.access.models import EmployeeInfo, SessionInfo, SignInChallenge
from core.access.tokens import new_token, token_digest
from core.shapes import text

router = APIRouter(prefix="/auth", tags=["auth"])

Login, Password, ChallengeId, OneTimeCode = text(200), text(1000), text(200), text(20)


class LoginRequest(BaseModel):
    model_config = {"extra": "forbid"}
    login: Login
    password: Password


class VerifyRequest(BaseModel):
    model_config = {"extra": "forbid"}
    challenge_id: ChallengeId
    code: OneTimeCode


@router.post("/login", response_model=SignInChallenge, responses=responses(401, 429))
def login(body: LoginRequest, console: AnonymousConsole) -> SignInChallenge:
    """Step one: checks login and password and sends the one-time code (or asks for the TOTP code).

    Unknown login, wrong password and a disabled account answer the same 401; too many attempts
    from this address, or for this login from this address, answer 429 with Retry-After (the same
    for a login that does not exist).
    """
    return console.sign_in(body.login, body.password)


@router.post("/verify", response_model=SessionInfo, responses=responses(401, 429))
def verify(body: VerifyRequest, console: AnonymousConsole, state: State) -> SessionInfo:
    """Step two: the one-time code; answers the bearer token for every other call."""
    token = new_token()
    console.session_key = token_digest(token)  # the session on the live floor is the token's
    info = console.verify_code(body.challenge_id, body.code)
    token, expires_at = state.sessions.issue(info.employee.id, token)
    return SessionInfo(employee=info.employee, access_token=token, expires_at=expires_at)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=responses(401))
def logout(console: SignedInConsole, token: Token, state: State) -> None:
    """Sign-out: the token dies at once."""
    console.sign_out()
    state.sessions.revoke(token)


@router.get("/me", response_model=EmployeeInfo, responses=responses(401))
def me(console: SignedInConsole) -> EmployeeInfo:
    return console.whoami()
