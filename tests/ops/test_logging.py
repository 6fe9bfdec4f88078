"""JSON logs: one access line per request with its request id, and never an API key."""

from __future__ import annotations

import io
import json
import logging

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from api import logs
from api.logs import configure_logging, redact
from api.settings import ApiSettings
from tests.support.factories import bearer, make_client, make_key, make_org, make_row


def capture(settings: ApiSettings) -> tuple[io.StringIO, logging.Handler]:
    stream = io.StringIO()
    return stream, configure_logging(settings, stream)


def test_access_lines_carry_request_ids_and_no_key(settings: ApiSettings, engine) -> None:
    issued = make_key(engine, settings, make_org(engine))
    with make_client(settings) as client:
        stream, _ = capture(settings)
        sent = client.post(
            "/v1/soumissions?secret=" + issued.key,
            json={"lignes": [make_row()]},
            headers={**bearer(issued), "X-Request-ID": "0f9a3a3e6a0e4b7c9d5e2f1a0b3c4d5e"},
        )
        logging.getLogger("observatoire.test").warning(
            "en-têtes reçus : %s", {"authorization": f"Bearer {issued.key}"}
        )
        logging.getLogger("observatoire.test").error("échec", exc_info=ValueError(issued.key))
        client.get("/v1/departements")
    output = stream.getvalue()
    assert issued.key not in output
    secret = issued.key.split("_", 2)[2]
    assert secret not in output and secret[:12] not in output
    lines = [json.loads(line) for line in output.splitlines()]
    access = [r for r in lines if r["logger"] == "observatoire.access"]
    assert [(r["method"], r["route"], r["status"]) for r in access] == [
        ("POST", "/v1/soumissions", sent.status_code),
        ("GET", "/v1/departements", 200),
    ]
    assert access[0]["request_id"] == "0f9a3a3e6a0e4b7c9d5e2f1a0b3c4d5e"
    assert sent.headers["x-request-id"] == access[0]["request_id"]
    assert all(r["duration_ms"] >= 0 for r in access)
    assert f"obs_{issued.prefix}_[masqué]" in output  # the public prefix stays, to find the key


def test_redact_patterns() -> None:
    key = "obs_0123456789ab_" + "A-b_c" * 10
    assert redact(f"Authorization: Bearer {key}") == "Authorization: [masqué]"
    assert key not in redact(f"[(b'authorization', b'Bearer {key}')]")
    assert redact(f"clé {key} reçue") == "clé obs_0123456789ab_[masqué] reçue"
    assert redact("obs_mal_formee_mais_longue_quand_meme") == "obs_[masqué]"
    assert redact("bearer abc.def") == "bearer [masqué]"
    assert redact("GET /v1/departements 200") == "GET /v1/departements 200"


def _redact_every_time(text: str) -> str:
    """`redact` without its shortcut: every pattern applied to every text."""
    text = logs._AUTHORIZATION.sub(lambda m: m.group(1) + logs.MASK, text)
    text = logs._BEARER.sub(lambda m: m.group(1) + logs.MASK, text)
    return logs._KEY.sub(lambda m: (m.group(1) or "obs_") + logs.MASK, text)


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Authorization",
                "AUTHORIZATION",
                "authorızation",
                "AUTHORİZATION",
                "bearer",
                "BEARER ",
                "Bearer\t",
                "basic ",
                "token ",
                "obs_",
                "0123456789ab_",
                "x" * 20,
                ": ",
                "'",
                "b'",
                " ",
                "\n",
                "ſ",
                "K",
                "İ",
                "é",
                "{",
                '"',
            ]
        )
        | st.text(max_size=6),
        max_size=12,
    ).map("".join)
)
def test_redact_shortcut_changes_nothing(text: str) -> None:
    assert redact(text) == _redact_every_time(text)
