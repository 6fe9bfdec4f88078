"""The OpenAPI document is complete (every `$ref` resolves, every answer declares what it holds)
and committed: `contract/openapi.json` is the served document."""

from __future__ import annotations

import json

from api.contract import CONTRACT_FILE, REGENERATE, render
from api.openapi_doc import inline_local_defs
from tests.support.openapi_walk import operations, refs, resolve, served_document

NO_BODY_STATUSES = {"204", "304"}


def test_every_ref_resolves() -> None:
    document = served_document()
    dangling = []
    for ref in sorted(set(refs(document))):
        try:
            resolve(document, {"$ref": ref})
        except (KeyError, TypeError):
            dangling.append(ref)
    assert dangling == []
    assert "$defs" not in json.dumps(document)


def test_every_response_declares_its_content() -> None:
    document = served_document()
    missing = []
    for op in operations(document):
        for status, response in op.spec["responses"].items():
            if status in NO_BODY_STATUSES:
                continue
            content = response.get("content") or {}
            if not content:
                missing.append(f"{op.method.upper()} {op.path} {status}: aucun type de contenu")
            for media, spec in content.items():
                schema = resolve(document, spec.get("schema") or {})
                if not schema or set(schema) <= {"title", "description"}:
                    missing.append(f"{op.method.upper()} {op.path} {status} {media}: schéma vide")
    assert missing == [], "\n".join(missing)


def test_the_submission_body_is_described_in_full() -> None:
    """It held a dangling `#/$defs/LigneSoumise`: fuzzers skipped the operation."""
    document = served_document()
    body = document["paths"]["/v1/soumissions"]["post"]["requestBody"]["content"]
    row = body["application/json"]["schema"]["properties"]["lignes"]["items"]
    assert set(row["properties"]) == {"departement", "mois", "type_incident", "nombre"}


def test_the_committed_contract_is_the_served_document() -> None:
    committed = CONTRACT_FILE.read_text(encoding="utf-8")
    assert committed == render(served_document()), (
        f"{CONTRACT_FILE.name} ne correspond plus à l'API : régénérer avec « {REGENERATE} » "
        "(python -m api.contract > contract/openapi.json), relire le diff, committer."
    )


def test_inlining_replaces_local_refs_and_keeps_the_rest() -> None:
    schema = {
        "$defs": {"A": {"type": "object", "properties": {"b": {"$ref": "#/$defs/B"}}},
                  "B": {"type": "integer", "maximum": 3}},
        "properties": {"a": {"$ref": "#/$defs/A"}, "c": {"$ref": "#/components/schemas/C"}},
    }  # fmt: skip
    assert inline_local_defs(schema) == {
        "properties": {
            "a": {"type": "object", "properties": {"b": {"type": "integer", "maximum": 3}}},
            "c": {"$ref": "#/components/schemas/C"},
        }
    }
