"""ASGI middleware: refuse request bodies over the limit before they are read whole."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import PROBLEM_MEDIA_TYPE, problem_body


class _BodyTooLarge(Exception):  # noqa: N818
    """Raised from `receive` when a streamed body passes the limit."""


class BodySizeLimitMiddleware:
    """413 when `Content-Length` announces too much, or when a chunked body grows past it."""

    def __init__(
        self, app: ASGIApp, max_body_bytes: int, by_path: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.default_max = max_body_bytes
        self.by_path = by_path or {}  # larger limits for file uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_body_bytes = self.by_path.get(scope.get("path", ""), self.default_max)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > max_body_bytes
            except ValueError:
                too_large = False  # the server rejects a malformed length itself
            if too_large:
                await self._send_413(send, max_body_bytes)
                return

        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_body_bytes:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if response_started:  # pragma: no cover - routes read the body before answering
                raise
            await self._send_413(send, max_body_bytes)

    async def _send_413(self, send: Send, max_body_bytes: int) -> None:
        detail = f"Le corps de la requête dépasse {max_body_bytes} octets."
        payload = json.dumps(
            problem_body(413, detail, slug="corps-trop-volumineux"), ensure_ascii=False
        ).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                    (b"content-length", str(len(payload)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})
