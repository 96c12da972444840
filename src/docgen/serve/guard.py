"""What a request must show before the server does anything for it, as one ASGI layer around the app:

- on a loopback bind, a Host header naming this machine (a web page elsewhere can't reach the server
  through a name of its own pointing here: DNS rebinding), and no foreign Origin on a request that
  changes anything (another site's page posting into it);
- where a token is set (required on any other bind), the token: ``Authorization: Bearer T``, or the
  cookie that ``/?token=T`` sets; where an auth proxy is named instead, the header the proxy adds;
- a body no larger than the upload limit, counted as it arrives (a missing or false Content-Length
  changes nothing);
and every answer carries headers that keep the page to its own scripts, styles and server.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from docgen.i18n import _

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_COOKIE = "docgen_token"
OPEN_PATHS = ("/healthz",)  # answers nothing about anyone's work
LOOPBACK_NAMES = ("localhost",)
SECURITY_HEADERS = (
    (b"content-security-policy", b"default-src 'self'; img-src 'self' blob: data:; object-src 'none'; "
     b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)  # fmt: skip


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` serves this machine alone."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Rules:
    loopback: bool  # bound to this machine alone: Host and Origin checked
    token: str | None
    proxy_header: str | None  # e.g. "X-Forwarded-User": an auth proxy in front vouches for the user
    upload_bytes: int


class BodyTooLarge(Exception):
    pass


class Guard:
    def __init__(self, app: ASGIApp, rules: Rules) -> None:
        self.app = app
        self.rules = rules

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal:
            await _answer(send, *refusal)
            return
        if scope["path"] == "/" and self.rules.token and _same_secret(_query_token(scope), self.rules.token):
            await _set_token_cookie(send, self.rules.token)
            return
        await self._guarded(scope, receive, send, headers)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        if self.rules.loopback and not _names_this_machine(headers.get("host", "")):
            return 421, _("this server answers to localhost and 127.0.0.1 only")
        if scope["path"] in OPEN_PATHS:
            return None
        if scope["method"] not in ("GET", "HEAD") and not _same_origin(headers):
            return 403, _("a request from another site's page is refused")
        if not self._authorised(scope, headers):
            return 401, _("a token is needed: open the address docgen serve printed (…/?token=…)")
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.rules.upload_bytes:
            return 413, _too_large(self.rules.upload_bytes)
        return None

    def _authorised(self, scope: Scope, headers: dict[str, str]) -> bool:
        if self.rules.proxy_header and not headers.get(self.rules.proxy_header.lower(), "").strip():
            return False
        if not self.rules.token:
            return True
        offered = headers.get("authorization", "").removeprefix("Bearer ").strip()
        candidates = [offered, _cookie(headers.get("cookie", ""), TOKEN_COOKIE)]
        if scope["path"] == "/":
            candidates.append(_query_token(scope))
        return any(_same_secret(candidate, self.rules.token) for candidate in candidates)

    async def _guarded(self, scope: Scope, receive: Receive, send: Send, headers: dict[str, str]) -> None:
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.rules.upload_bytes:
                raise BodyTooLarge
            return message

        async def secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        try:
            await self.app(scope, counted, secured)
        except BodyTooLarge:
            if not started:
                await _answer(send, 413, _too_large(self.rules.upload_bytes))


def _cookie(header: str, name: str) -> str:
    """The value of cookie ``name`` in a Cookie header. Read by hand: http.cookies drops every cookie of a
    header holding one it finds malformed, and localhost's cookies come from every program served there."""
    for pair in header.split(";"):
        key, _equals, value = pair.strip().partition("=")
        if key == name:
            return value.strip('"')
    return ""


def _same_secret(offered: str, token: str) -> bool:
    """``offered`` is the token, compared in constant time (no answer's timing tells how much of it matched)."""
    return bool(offered) and hmac.compare_digest(offered.encode(), token.encode())


def _too_large(limit: int) -> str:
    return _("the upload is larger than {megabytes:g} MB, this server's limit").format(megabytes=limit / 2**20)


def _names_this_machine(host: str) -> bool:
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return is_loopback(name)


def _same_origin(headers: dict[str, str]) -> bool:
    """No Origin (not a browser's cross-site request), or this server's own."""
    origin = headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == headers.get("host")


def _query_token(scope: Scope) -> str:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [""])
    return values[0]


async def _set_token_cookie(send: Send, token: str) -> None:
    """``/?token=T``: the token kept as a cookie of this site only, and the address without it."""
    cookie = f"{TOKEN_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
    headers = [(b"location", b"/"), (b"set-cookie", cookie.encode("latin-1")), *SECURITY_HEADERS]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


async def _answer(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": {"message": message, "line": None, "column": None}}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": [*headers, *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})
