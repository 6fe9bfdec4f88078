"""Every parameter of every route is bounded in the OpenAPI document, and no extreme value of
any of them gets a 5xx (SQLite and PostgreSQL). Driven by the served document, not by a list of
routes: a route added later is checked the same way."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.factories import bearer, make_client, make_key, make_org
from tests.support.openapi_walk import (
    EXTREMES,
    HUGE,
    JSON_LONE_SURROGATE,
    example,
    leaves,
    operations,
    replaced,
    resolve,
    served_document,
    unbounded,
)
from tests.support.published_fixture import store_publication


def test_every_parameter_and_body_field_states_its_bounds() -> None:
    document = served_document()
    problems = []
    for op in operations(document):
        for parameter in op.parameters:
            where = f"{op.method.upper()} {op.path} {parameter['in']} {parameter['name']}"
            problems += unbounded(document, parameter.get("schema", {}), where)
        for media, content in op.spec.get("requestBody", {}).get("content", {}).items():
            where = f"{op.method.upper()} {op.path} corps {media}"
            problems += unbounded(document, content.get("schema", {}), where)
    assert problems == [], "\n".join(problems)


@pytest.fixture
def loaded(engine, settings):
    """A client on an app with a publication, an organisation, its key and one submission."""
    store_publication(engine)
    key = make_key(engine, settings, make_org(engine))
    with make_client(settings) as client:
        client.app.state.publications.refresh()  # type: ignore[attr-defined]
        row = {"departement": "93", "mois": "2025-03", "type_incident": "rdv_indisponible"}
        created = client.post("/v1/soumissions", json={"lignes": [{**row, "nombre": 12}]},
                              headers=bearer(key))  # fmt: skip
        assert created.status_code == 201, created.text
        yield client, bearer(key), client.get("/openapi.json").json()


def _body(document: dict[str, Any], op) -> tuple[str, Any] | None:  # type: ignore[no-untyped-def]
    content = op.spec.get("requestBody", {}).get("content", {})
    for media, spec in content.items():
        return media, example(document, spec.get("schema", {}))
    return None


def _send(client: TestClient, op, url: str, headers: dict[str, Any], body=None) -> int:  # type: ignore[no-untyped-def]
    """The status of one request; a body is (media type, bytes)."""
    kwargs: dict[str, Any] = {"headers": dict(headers)}
    if body is not None:
        kwargs["headers"]["Content-Type"] = body[0]
        kwargs["content"] = body[1]
    return client.request(op.method.upper(), url, **kwargs).status_code


MULTIPART_BOUNDARY = "limite-du-test"


def _media(media: str) -> str:
    """The Content-Type header of a body of `media` (multipart needs its boundary)."""
    if media.startswith("multipart/"):
        return f"{media}; boundary={MULTIPART_BOUNDARY}"
    return media


def _encoded(media: str, value: Any) -> bytes:
    if media.startswith("multipart/"):  # each field a part; a file field gets a tiny CSV
        parts = []
        for name, field in (value if isinstance(value, dict) else {}).items():
            disposition = f'form-data; name="{name}"'
            data = str(field)
            if name == "fichier":
                disposition += '; filename="comptages.csv"'
                data = "departement;mois;type_incident;nombre\n93;2025-01;rdv_indisponible;12\n"
            parts.append(
                f"--{MULTIPART_BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n{data}\r\n"
            )
        parts.append(f"--{MULTIPART_BOUNDARY}--\r\n")
        return "".join(parts).encode("utf-8", "surrogatepass")
    if "json" in media:
        return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return str(value).encode("utf-8", "surrogatepass")


def test_extreme_values_of_every_parameter_never_cause_a_server_error(loaded) -> None:
    client, key_headers, document = loaded
    failures: list[str] = []
    sent = 0
    for op in operations(document):
        body = _body(document, op)
        valid_body = (_media(body[0]), _encoded(*body)) if body else None
        for auth in ({}, key_headers):
            who = "clé" if auth else "anonyme"
            targets = [(p["in"], p["name"]) for p in op.parameters]
            if op.secured:
                targets.append(("header", "Authorization"))
            for where, name in targets:
                for encoded, raw in EXTREMES:
                    headers: dict[str, Any] = dict(auth)
                    url = op.url()
                    if where == "query":
                        url = f"{url}?{name}={encoded}"
                    elif where == "path":
                        url = op.url({name: encoded})
                    elif raw is None:
                        continue  # cannot be written in a header
                    else:
                        value = f"Bearer {raw}" if name == "Authorization" else raw
                        headers[name] = value.encode()  # as sent on the wire: UTF-8 bytes
                    status = _send(client, op, url, headers, valid_body)
                    sent += 1
                    if status >= 500:
                        failures.append(f"{status} {op.method.upper()} {url[:120]} {name} ({who})")
            if body is None:
                continue
            media, base = body
            for path in leaves(base):
                values: list[Any] = [raw for _, raw in EXTREMES if raw is not None]
                values += [int(HUGE), -int(HUGE), 1e308, None, True, [], {}]
                for value in values:
                    data = _encoded(media, replaced(base, path, value))
                    if _send(client, op, op.url(), auth, (_media(media), data)) >= 500:
                        failures.append(f"{op.method.upper()} {op.path} corps {path}={value!r:.40}")
                    sent += 1
                marked = _encoded(media, replaced(base, path, "__S__"))
                data = marked.replace(b'"__S__"', JSON_LONE_SURROGATE.encode())
                if _send(client, op, op.url(), auth, (_media(media), data)) >= 500:
                    failures.append(f"{op.method.upper()} {op.path} corps {path}=\\ud800 ({who})")
                sent += 1
    assert sent > 500
    assert failures == [], "\n".join(failures)


def test_out_of_bounds_values_get_a_422_naming_the_parameter(loaded) -> None:
    client, key_headers, document = loaded
    checked = 0
    for op in operations(document):
        body = _body(document, op)
        valid_body = (_media(body[0]), _encoded(*body)) if body else None
        for parameter in op.parameters:
            if parameter["in"] not in ("query", "path", "header"):
                continue
            schema = resolve(document, parameter.get("schema", {}))
            branches = schema.get("anyOf", [schema])
            for branch in (resolve(document, b) for b in branches):
                outside = []
                if "maximum" in branch:
                    outside += [str(branch["maximum"] + 1), HUGE]
                if "minimum" in branch:
                    outside += [str(branch["minimum"] - 1), "-" + HUGE]
                if "maxLength" in branch:
                    outside.append("x" * (branch["maxLength"] + 1))
                for value in outside:
                    url, headers = op.url({parameter["name"]: value}), dict(key_headers)
                    if parameter["in"] == "query":
                        url = f"{op.url()}?{parameter['name']}={value}"
                    elif parameter["in"] == "header":
                        url, headers[parameter["name"]] = op.url(), value
                    kwargs: dict[str, Any] = {"headers": headers}
                    if valid_body is not None:
                        headers["Content-Type"], kwargs["content"] = valid_body
                    response = client.request(op.method.upper(), url, **kwargs)
                    assert response.status_code == 422, (url[:100], response.text[:300])
                    fields = [e["champ"] for e in response.json()["erreurs"]]
                    assert any(f.endswith(parameter["name"]) for f in fields), (url[:100], fields)
                    checked += 1
    assert checked >= 10


def test_the_alerts_route_bounds_its_publication_number(loaded) -> None:
    """Found by fuzzing: a 20-digit publication number gave a 500."""
    client, _, _ = loaded
    response = client.get("/v1/alertes", params={"publication": HUGE})
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["champ"] == "query.publication"
