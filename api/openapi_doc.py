"""The served OpenAPI document made self-contained: local `$defs` inlined, built once."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

LOCAL_DEFS = "#/$defs/"


def inline_local_defs(node: Any, defs: dict[str, Any] | None = None) -> Any:
    """`node` with every `#/$defs/…` reference replaced by its definition.

    Why: a pydantic schema pasted into `openapi_extra` keeps its own `$defs`, which mean nothing
    at the root of an OpenAPI document: the reference dangles and fuzzers skip the operation.
    """
    if isinstance(node, list):
        return [inline_local_defs(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$defs" in node:
        defs = {**(defs or {}), **node["$defs"]}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(LOCAL_DEFS) and defs is not None:
        target = defs[ref[len(LOCAL_DEFS) :]]
        rest = {k: v for k, v in node.items() if k != "$ref"}
        return inline_local_defs({**target, **rest}, defs)
    return {k: inline_local_defs(v, defs) for k, v in node.items() if k != "$defs"}


def install_contract(app: FastAPI) -> None:
    """Serve the self-contained document at `/openapi.json` (built once)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if not getattr(app.state, "contract_ready", False):
            app.openapi_schema = inline_local_defs(build())
            app.state.contract_ready = True
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
