"""Walk an OpenAPI document: operations, parameters, body leaves, and the bounds they state.

Driven by the document only, so that routes added later are walked and checked too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

# Extreme inputs. Each is (what goes into a URL, already percent-encoded; the raw text for
# headers and bodies, or None when it cannot be written there).
HUGE = "99999999999999999999"
EXTREMES: list[tuple[str, str | None]] = [
    (HUGE, HUGE),
    ("-" + HUGE, "-" + HUGE),
    ("9223372036854775808", "9223372036854775808"),  # 2**63
    ("2147483648", "2147483648"),  # 2**31
    ("-1", "-1"),
    ("0", "0"),
    ("1e308", "1e308"),
    ("x" * 10_000, "x" * 10_000),
    ("%00", "\x00"),
    (quote("a\x00b"), "a\x00b"),
    (quote("\u202e\u200f93\u200e"), "\u202e\u200f93\u200e"),  # RTL override and marks
    (quote("e\u0301\u0301\u0301\u0301"), "e\u0301\u0301\u0301\u0301"),  # combining accents
    (quote("😀👨‍👩‍👧"), "😀👨‍👩‍👧"),  # emoji and a zero-width joiner sequence
    ("%ED%A0%80", None),  # a lone surrogate (U+D800) as UTF-8 bytes: invalid UTF-8
    ("%FF%FE", None),  # bytes that are no UTF-8 at all
    ("", ""),
    (quote(" \t"), " \t"),
]
JSON_LONE_SURROGATE = '"\\ud800"'  # valid JSON text, a string Python cannot encode to UTF-8


def served_document() -> dict[str, Any]:
    """The document the API serves (no database needed to build it)."""
    from fastapi.testclient import TestClient

    from api.main import create_app
    from api.settings import ApiSettings

    app = create_app(ApiSettings(environment="test", database_url="sqlite://"))
    return TestClient(app).get("/openapi.json").json()


@dataclass(frozen=True)
class Operation:
    """One method on one path of the document."""

    method: str
    path: str
    spec: dict[str, Any]

    @property
    def parameters(self) -> list[dict[str, Any]]:
        """Its parameters (query, path, header, cookie)."""
        return list(self.spec.get("parameters", []))

    @property
    def secured(self) -> bool:
        """Whether it asks for a key."""
        return bool(self.spec.get("security"))

    def url(self, path_values: dict[str, str] | None = None) -> str:
        """The path with its parameters replaced (by `1` when not given)."""
        url = self.path
        for parameter in self.parameters:
            if parameter["in"] == "path":
                value = (path_values or {}).get(parameter["name"], "1")
                url = url.replace("{" + parameter["name"] + "}", value)
        return url


def operations(document: dict[str, Any]) -> Iterator[Operation]:
    """Every operation of the document."""
    for path, item in document["paths"].items():
        for method, spec in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield Operation(method, path, spec)


def resolve(document: dict[str, Any], node: Any) -> Any:
    """`node`, following a `$ref` into the document (KeyError if it dangles)."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise KeyError(ref)
        target: Any = document
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def refs(node: Any) -> Iterator[str]:
    """Every `$ref` string under `node`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def unbounded(document: dict[str, Any], schema: Any, where: str) -> list[str]:
    """Places under `schema` where an integer, number, string or list has no stated bound."""
    schema = resolve(document, schema)
    if not isinstance(schema, dict) or schema == {}:
        return [f"{where}: schéma vide"]
    if "enum" in schema or "const" in schema:
        return []
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in schema:
            return [
                problem
                for i, branch in enumerate(schema[combinator])
                for problem in unbounded(document, branch, f"{where}[{i}]")
            ]
    kind = schema.get("type")
    if kind in ("integer", "number"):
        missing = [b for b in ("minimum", "maximum") if b not in schema]
        return [f"{where}: entier sans {', '.join(missing)}"] if missing else []
    if kind == "string":
        # An uploaded file (OpenAPI 3.0 `format: binary`, 3.1 `contentMediaType`) is bounded by
        # the request body limit (413), not by a length.
        is_file = schema.get("format") == "binary" or "contentMediaType" in schema
        bounded = "maxLength" in schema or is_file
        return [] if bounded else [f"{where}: texte sans maxLength"]
    if kind == "array":
        problems = [] if "maxItems" in schema else [f"{where}: liste sans maxItems"]
        return problems + unbounded(document, schema.get("items", {}), f"{where}[]")
    if kind == "object":
        return [
            problem
            for name, sub in schema.get("properties", {}).items()
            for problem in unbounded(document, sub, f"{where}.{name}")
        ]
    if kind in ("boolean", "null"):
        return []
    return [f"{where}: type {kind!r} non borné"]


def example(document: dict[str, Any], schema: Any) -> Any:
    """A small instance of `schema` (valid in shape, not necessarily in meaning)."""
    schema = resolve(document, schema)
    if schema.get("examples"):
        return schema["examples"][0]
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            return example(document, schema[combinator][0])
    kind = schema.get("type")
    if kind == "object":
        return {k: example(document, v) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [example(document, schema.get("items", {}))]
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    return "93"


def leaves(value: Any, path: tuple = ()) -> Iterator[tuple]:
    """Paths to every scalar inside a JSON value."""
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from leaves(sub, (*path, key))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from leaves(sub, (*path, i))
    else:
        yield path


def replaced(value: Any, path: tuple, new: Any) -> Any:
    """A copy of `value` with the leaf at `path` set to `new`."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, new)}
    return [replaced(v, rest, new) if i == head else v for i, v in enumerate(value)]
