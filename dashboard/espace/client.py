"""The association space's HTTP client: every call goes to the API with the association's key.

The key is passed in by the caller (it lives in the server-side session only) and sent in the
`Authorization` header; it never enters a URL, a log line or an error message. Every failure
becomes an `EspaceError` with a `kind` the pages turn into a clear message.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from dashboard.client import query_path
from dashboard.settings import get_dashboard_settings

ErrorKind = Literal[
    "cle",  # 401: wrong, revoked or expired key
    "refus",  # 422: the data is refused; `erreurs` says where and why
    "trop_gros",  # 413: over the API's body limit
    "trop_vite",  # 429: over the per-key rate limit
    "en_cours",  # 409: the same send is still being stored
    "introuvable",  # 404
    "indisponible",  # no answer, timeout, 5xx
    "inattendu",  # any other answer the space cannot read
]
KIND_BY_STATUS: dict[int, ErrorKind] = {
    401: "cle",
    403: "cle",
    404: "introuvable",
    409: "en_cours",
    413: "trop_gros",
    415: "refus",
    422: "refus",
    429: "trop_vite",
}


@dataclass
class EspaceError(Exception):
    """A call the API refused or could not answer; `detail` is the API's own French text."""

    kind: ErrorKind
    status: int | None = None
    detail: str = ""
    erreurs: list[dict[str, Any]] = field(default_factory=list)
    retry_after: str | None = None

    def __str__(self) -> str:
        return f"{self.kind} ({self.status}): {self.detail}"


def normalize_issue(raw: dict[str, Any]) -> dict[str, Any]:
    """One faulty row or warning as {ligne, colonne, valeur, message, suggestion}."""
    return {
        "ligne": raw.get("ligne"),
        "colonne": raw.get("colonne") or raw.get("champ"),
        "valeur": raw.get("valeur"),
        "message": raw.get("message") or raw.get("raison") or "",
        "suggestion": raw.get("suggestion"),
    }


def _error_from(response: httpx.Response) -> EspaceError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    status = response.status_code
    kind: ErrorKind = KIND_BY_STATUS.get(status, "indisponible" if status >= 500 else "inattendu")
    erreurs = body.get("erreurs") or []
    return EspaceError(
        kind=kind,
        status=status,
        detail=str(body.get("detail") or body.get("title") or ""),
        erreurs=[normalize_issue(e) for e in erreurs if isinstance(e, dict)],
        retry_after=response.headers.get("Retry-After"),
    )


def request(
    method: str,
    path: str,
    *,
    key: str | None = None,
    lang: str = "fr",
    headers: dict[str, str] | None = None,
    raw: bool = False,
    **kwargs: Any,
) -> Any:
    """Call the API; the decoded JSON (or bytes with `raw`), else raise `EspaceError`."""
    settings = get_dashboard_settings()
    sent = {"Accept-Language": lang, **(headers or {})}
    if key is not None:
        sent["Authorization"] = f"Bearer {key}"
    timeout = httpx.Timeout(
        settings.request_timeout_s,
        connect=min(settings.connect_timeout_s, settings.request_timeout_s),
    )
    url = settings.api_url.rstrip("/") + path
    try:
        response = httpx.request(method, url, headers=sent, timeout=timeout, **kwargs)
    except httpx.HTTPError as exc:
        # No key in the message: only the kind of failure.
        raise EspaceError("indisponible", None, type(exc).__name__) from None
    if response.status_code >= 400:
        raise _error_from(response)
    if raw:
        return response.content
    try:
        return response.json()
    except ValueError:
        raise EspaceError("inattendu", response.status_code, "JSON") from None


def send_key(*parts: str | bytes) -> str:
    """An idempotency key derived from what is sent (same content, same key)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        digest.update(b"\x00")
    return "espace-" + digest.hexdigest()


def fingerprint(preview: dict[str, Any]) -> str:
    """What a preview found already held (status and old value per row), as text.

    Part of the send's idempotency key: the same file sent again after a withdrawal (the held
    values changed) is a new send; pressing « Envoyer » twice, or again after a reload while
    nothing changed, is the same one.
    """
    rows = preview.get("lignes") or []
    return json.dumps([(r.get("statut"), r.get("ancien_nombre")) for r in rows])


def organisation(key: str, lang: str) -> dict[str, Any]:
    """Who the key belongs to (checks the key); 401 → `EspaceError('cle')`.

    An API without `/v1/organisation` (older than the space) still checks the key through the
    submissions list; the space then names no organisation.
    """
    try:
        return request("GET", "/v1/organisation", key=key, lang=lang)
    except EspaceError as error:
        if error.kind != "introuvable":
            raise
    request("GET", "/v1/soumissions?par_page=1", key=key, lang=lang)
    return {}


def multipart_headers(content: bytes) -> dict[str, str]:
    """A boundary derived from the file: the same file gives the same request body, byte for
    byte, so that a replayed send matches its idempotency key."""
    boundary = hashlib.sha256(content).hexdigest()[:40]
    return {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def preview_file(key: str, name: str, content: bytes, lang: str) -> dict[str, Any]:
    """Dry run of a CSV or XLSX file: rows as understood, summary, warnings; nothing written."""
    return request(
        "POST",
        "/v1/soumissions/fichier?dry_run=true",
        key=key,
        lang=lang,
        headers=multipart_headers(content),
        files={"fichier": (name, content, "application/octet-stream")},
    )


def send_file(key: str, name: str, content: bytes, idem: str, lang: str) -> dict[str, Any]:
    """Store a file's rows (whole or not at all), once per `idem` key."""
    return request(
        "POST",
        "/v1/soumissions/fichier?dry_run=false",
        key=key,
        lang=lang,
        headers={"Idempotency-Key": idem, **multipart_headers(content)},
        files={"fichier": (name, content, "application/octet-stream")},
    )


def send_rows(
    key: str,
    rows: list[dict[str, Any]],
    lang: str,
    *,
    dry_run: bool,
    motif: str | None = None,
    idem: str | None = None,
) -> dict[str, Any]:
    """JSON rows (manual entry, correction): dry run or store, with an optional reason."""
    body: dict[str, Any] = {"lignes": rows}
    if motif:
        body["motif"] = motif
    headers = {"Idempotency-Key": idem} if idem and not dry_run else None
    path = f"/v1/soumissions?dry_run={'true' if dry_run else 'false'}"
    return request("POST", path, key=key, lang=lang, json=body, headers=headers)


def submissions(key: str, lang: str, page: int = 1) -> dict[str, Any]:
    """The association's submissions, newest first (`data`, `count`)."""
    return request(
        "GET", query_path("/v1/soumissions", page=page, par_page=100), key=key, lang=lang
    )


def withdraw(key: str, submission_id: int, motif: str, lang: str) -> dict[str, Any]:
    """Withdraw a batch: its cells go back to what they held before it."""
    path = f"/v1/soumissions/{int(submission_id)}/retrait"
    return request("POST", path, key=key, lang=lang, json={"motif": motif})


def values(key: str, lang: str, **filters: str | None) -> dict[str, Any]:
    """The values the association holds now, filtered by `mois`, `departement`, `type_incident`."""
    return request("GET", query_path("/v1/valeurs", **filters), key=key, lang=lang)


def values_csv(key: str, lang: str, **filters: str | None) -> bytes:
    """The same values as CSV, as the API writes them (safe against spreadsheet formulas)."""
    path = query_path("/v1/valeurs", **filters, format="csv")
    return request("GET", path, key=key, lang=lang, raw=True)


def history(key: str, lang: str, departement: str, mois: str, type_incident: str) -> Any:
    """Every change of one cell: old → new, when, which key, the reason given."""
    path = query_path(
        "/v1/valeurs/historique", departement=departement, mois=mois, type_incident=type_incident
    )
    return request("GET", path, key=key, lang=lang)


def completeness(key: str, lang: str) -> dict[str, Any]:
    """Month by month since the association's start: sent or missing."""
    return request("GET", "/v1/completude", key=key, lang=lang)


def template(fmt: Literal["csv", "xlsx"], lang: str) -> bytes:
    """The blank submission template, as the API serves it (public)."""
    return request("GET", f"/v1/modeles/soumission.{fmt}", lang=lang, raw=True)


def calendar(lang: str) -> dict[str, Any]:
    """The publication policy and its next dates (public)."""
    return request("GET", "/v1/calendrier", lang=lang)


def coverage(lang: str) -> Any:
    """How many associations reported, per month (public)."""
    return request("GET", "/v1/couverture", lang=lang)
