"""The OpenAPI contract: the served document made self-contained, and its committed copy.

`make contract` (`python -m api.contract > contract/openapi.json`) regenerates the file;
`tests/api/test_contract.py` fails when the served document drifts from it.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from fastapi import FastAPI

from observatoire.settings import REPO_ROOT

CONTRACT_FILE = REPO_ROOT / "contract" / "openapi.json"
REGENERATE = "make contract"
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


def render(document: dict[str, Any]) -> str:
    """The committed form: indented JSON, UTF-8, a final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    """Print the document of an app built with neutral settings (no database is opened)."""
    from api.main import create_app
    from api.settings import ApiSettings

    app = create_app(ApiSettings(environment="development", database_url="sqlite://"))
    sys.stdout.write(render(app.openapi()))


if __name__ == "__main__":
    main()
