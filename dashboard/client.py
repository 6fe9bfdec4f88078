"""The only module that talks HTTP to the public API.

Plain functions (`get_json`) do the HTTP work and raise `ApiUnavailable` on any failure;
the `fetch_*` functions add a shared cache (`st.cache_data`) and shape the answers for pages.
"""

from __future__ import annotations

import json
from typing import Any, Literal
from urllib.parse import urlencode

import httpx
import pandas as pd
import streamlit as st

from dashboard.settings import get_dashboard_settings

Reason = Literal["connexion", "delai", "erreur_http", "reponse_invalide"]

DEPARTEMENT_COLUMNS = ["code", "nom", "region_code", "region_nom", "prefecture", "population"]


class ApiUnavailable(Exception):
    """The API could not be reached, was too slow, or answered with an error or nonsense."""

    def __init__(self, url: str, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{url}: {reason} {detail}".strip())
        self.url = url
        self.reason: Reason = reason
        self.detail = detail


# The TTL is read once, when the module is imported (a decorator argument).
@st.cache_data(ttl=get_dashboard_settings().cache_ttl_s, show_spinner=False, max_entries=64)
def _cached_json(base_url: str, path: str, timeout_s: float, connect_timeout_s: float) -> Any:
    # Failures raise and are therefore never cached: the next rerun tries again.
    return get_json(base_url, path, timeout_s, connect_timeout_s)


def _fetch(path: str) -> Any:
    settings = get_dashboard_settings()
    return _cached_json(
        settings.api_url, path, settings.request_timeout_s, settings.connect_timeout_s
    )


def api_url() -> str:
    """The base URL of the API this dashboard reads (for messages and links)."""
    return get_dashboard_settings().api_url


def public_api_url() -> str:
    """The API's address as readers can reach it (for citing the source)."""
    settings = get_dashboard_settings()
    return settings.public_api_url or settings.api_url


def fetch_departements() -> pd.DataFrame:
    """The 101 départements: code, nom, région, préfecture, population."""
    payload = _fetch("/v1/departements")
    if not isinstance(payload, list) or not payload:
        raise ApiUnavailable(api_url() + "/v1/departements", "reponse_invalide", "liste vide")
    frame = pd.DataFrame(payload)
    missing = set(DEPARTEMENT_COLUMNS) - set(frame.columns)
    if missing:
        raise ApiUnavailable(
            api_url() + "/v1/departements", "reponse_invalide", ", ".join(sorted(missing))
        )
    frame = frame[DEPARTEMENT_COLUMNS].astype({"code": str, "population": "int64"})
    return frame


def fetch_regions() -> list[dict[str, Any]]:
    """The 18 régions with the codes of their départements."""
    return _fetch("/v1/regions")


def fetch_incident_types() -> dict[str, Any]:
    """The versioned incident taxonomy (`version`, `familles`, `types`)."""
    return _fetch("/v1/types-incident")


def fetch_map_layout() -> dict[str, Any]:
    """The map layout FeatureCollection (insets, `cadre`, `encarts`, `projection`)."""
    layout = _fetch("/v1/carte")
    if not isinstance(layout, dict) or not layout.get("features"):
        raise ApiUnavailable(api_url() + "/v1/carte", "reponse_invalide", "pas de géométries")
    return layout


def get_bytes(
    base_url: str, path: str, timeout_s: float, connect_timeout_s: float, accept: str = "*/*"
) -> bytes:
    """GET `base_url + path` and return its raw body (CSV, GeoJSON); `ApiUnavailable` on failure."""
    url = base_url.rstrip("/") + path
    timeout = httpx.Timeout(timeout_s, connect=min(connect_timeout_s, timeout_s))
    try:
        response = httpx.get(url, timeout=timeout, headers={"Accept": accept})
        response.raise_for_status()
        return response.content
    except httpx.TimeoutException as exc:
        raise ApiUnavailable(url, "delai", f"{timeout_s:g} s") from exc
    except httpx.HTTPStatusError as exc:
        raise ApiUnavailable(url, "erreur_http", str(exc.response.status_code)) from exc
    except httpx.HTTPError as exc:
        raise ApiUnavailable(url, "connexion", type(exc).__name__) from exc


def get_json(base_url: str, path: str, timeout_s: float, connect_timeout_s: float) -> Any:
    """GET `base_url + path` and decode its JSON body; raise `ApiUnavailable` on any failure."""
    body = get_bytes(base_url, path, timeout_s, connect_timeout_s, accept="application/json")
    try:
        return json.loads(body)
    except ValueError as exc:
        raise ApiUnavailable(base_url.rstrip("/") + path, "reponse_invalide", "JSON") from exc


@st.cache_data(ttl=get_dashboard_settings().cache_ttl_s, show_spinner=False, max_entries=32)
def _cached_bytes(base_url: str, path: str, timeout_s: float, connect_timeout_s: float) -> bytes:
    return get_bytes(base_url, path, timeout_s, connect_timeout_s)


def fetch_bytes(path: str) -> bytes:
    """The API's own bytes for `path` (downloads show exactly what the API serves)."""
    settings = get_dashboard_settings()
    return _cached_bytes(
        settings.api_url, path, settings.request_timeout_s, settings.connect_timeout_s
    )


def query_path(path: str, **params: object) -> str:
    """`path?a=1&b=2` with the non-None parameters, URL-encoded, in a stable order."""
    kept = {k: str(v) for k, v in params.items() if v is not None}
    return f"{path}?{urlencode(kept)}" if kept else path


# Publications change at most once a month: a short TTL is enough to see a new one soon.
@st.cache_data(ttl=60, show_spinner=False, max_entries=4)
def _latest_publication(base_url: str, timeout_s: float, connect_timeout_s: float) -> Any:
    return get_json(base_url, "/v1/publications", timeout_s, connect_timeout_s)


def fetch_latest_publication() -> dict[str, Any] | None:
    """The latest publication with its `periodes`, or None when nothing is published yet."""
    settings = get_dashboard_settings()
    listing = _latest_publication(
        settings.api_url, settings.request_timeout_s, settings.connect_timeout_s
    )
    if not isinstance(listing, dict) or not isinstance(listing.get("data"), list):
        raise ApiUnavailable(api_url() + "/v1/publications", "reponse_invalide", "data")
    if not listing["data"]:
        return None
    return _fetch(f"/v1/publications/{int(listing['data'][0]['id'])}")


def fetch_statistics(publication: int, niveau: str, type_: str, periode: str) -> dict[str, Any]:
    """`/v1/statistiques`: every territory of a level for one type and period."""
    return _fetch(
        query_path(
            "/v1/statistiques", niveau=niveau, type=type_, periode=periode, publication=publication
        )
    )


def fetch_series(publication: int, territoire: str, type_: str, pas: str) -> dict[str, Any]:
    """`/v1/statistiques/serie`: one territory (or FR) over every period of a step."""
    return _fetch(
        query_path(
            "/v1/statistiques/serie",
            territoire=territoire,
            type=type_,
            pas=pas,
            publication=publication,
        )
    )


def fetch_types(publication: int, territoire: str, periode: str, lang: str) -> dict[str, Any]:
    """`/v1/statistiques/types`: the breakdown by family and type of one territory."""
    return _fetch(
        query_path(
            "/v1/statistiques/types",
            territoire=territoire,
            periode=periode,
            langue=lang,
            publication=publication,
        )
    )


def fetch_alerts(publication: int, type_: str, pas: str) -> dict[str, Any]:
    """`/v1/alertes`: départements flagged by the API's documented rule."""
    return _fetch(query_path("/v1/alertes", type=type_, pas=pas, publication=publication))


def fetch_json(path: str) -> Any:
    """Any public API path (cached), for the data page's previews."""
    return _fetch(path)


async def aget_bytes(base_url: str, path: str, params: dict[str, str], timeout_s: float) -> bytes:
    """GET `base_url + path` without blocking the event loop; b"" on any failure or non-200."""
    url = base_url.rstrip("/") + path
    try:
        async with httpx.AsyncClient(timeout=timeout_s) as http:
            response = await http.get(url, params=params)
    except httpx.HTTPError:
        return b""
    return response.content if response.status_code == 200 else b""
