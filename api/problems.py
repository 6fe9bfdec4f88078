"""RFC 9457 problem details (`application/problem+json`), in French, for every error."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:observatoire-anef:probleme:"
TITLES = {
    400: "Requête incorrecte",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Ressource introuvable",
    405: "Méthode non autorisée",
    409: "Requête déjà en cours",
    413: "Corps de requête trop volumineux",
    415: "Type de contenu non pris en charge",
    422: "Données invalides",
    429: "Trop de requêtes",
    500: "Erreur interne",
}
PYDANTIC_REASONS = {
    "string_unicode": "texte invalide : caractère non représentable en UTF-8",
    "missing": "paramètre obligatoire manquant",
    "int_parsing": "doit être un entier",
    "int_type": "doit être un entier",
    "bool_parsing": "doit être un booléen (true ou false)",
    "string_too_long": "texte trop long",
    "string_too_short": "texte trop court",
    "greater_than_equal": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
    "literal_error": "valeur non autorisée",
    "enum": "valeur non autorisée",
    "string_pattern_mismatch": "format non reconnu",
    "too_long": "liste trop longue",
}


BOUND_KEYS = {"ge", "le", "min_length", "max_length", "expected", "pattern"}


class ErreurLigne(BaseModel):
    """Une erreur précise, à la ligne qu'affiche un tableur (en-tête = 1 ; null = tout le lot)."""

    ligne: int | None = Field(
        description="Ligne du tableur, en-tête = 1 (JSON : élément i = ligne i + 2)."
    )
    champ: str | None = Field(description="Colonne ou paramètre en cause.")
    valeur: Any = Field(None, description="Valeur reçue.")
    raison: str = Field(description="Explication en français (ou en anglais sur demande).")
    colonne: str | None = Field(None, description="Champ en cause (soumissions).")
    emplacement: str | None = Field(None, description="Cellule ou colonne du fichier.")
    message: str | None = Field(None, description="Comme `raison` (soumissions).")
    suggestion: str | None = Field(None, description="Valeur probable, ou null.")


class TableauPublie(BaseModel):
    """Un tableau du plan de publication : un niveau de chaque hiérarchie."""

    territoire: str = Field(description="departement, region ou france.")
    incidents: str = Field(description="type, famille ou tous.")
    periode: str = Field(description="mois, trimestre ou annee.")
    libelle: str = Field(examples=["département × famille × année"])


class ProblemDetails(BaseModel):
    """Erreur au format RFC 9457 (`application/problem+json`)."""

    type: str = Field(examples=[TYPE_PREFIX + "donnees-invalides"])
    title: str
    status: int
    detail: str
    erreurs: list[ErreurLigne] | None = Field(
        None, description="Toutes les erreurs trouvées (validation)."
    )
    plan: str | None = Field(
        None,
        description="Non publié (`type` …:non-publie) : le plan de publication (`nom/version`).",
    )
    demande: TableauPublie | None = Field(
        None, description="Non publié : le tableau demandé (un niveau par hiérarchie)."
    )
    publies: list[TableauPublie] | None = Field(
        None,
        description="Non publié : les tableaux publiés au niveau de territoire demandé.",
    )


class Problem(Exception):  # noqa: N818 - named after the RFC's "problem"
    """Raise to answer with problem details."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        slug: str | None = None,
        erreurs: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        title: str | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.slug = slug
        self.erreurs = erreurs
        self.headers = headers
        self.title = title
        self.extensions = extensions

    def body(self) -> dict[str, Any]:
        """The JSON body."""
        body = problem_body(self.status, self.detail, slug=self.slug, erreurs=self.erreurs)
        if self.title is not None:
            body["title"] = self.title
        return {**body, **(self.extensions or {})}


def problem_body(
    status: int, detail: str, *, slug: str | None = None, erreurs: list[Any] | None = None
) -> dict[str, Any]:
    """A problem-details body; `slug` names the type (`about:blank` without one)."""
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + slug if slug else "about:blank",
        "title": TITLES.get(status, "Erreur"),
        "status": status,
        "detail": detail,
    }
    if erreurs is not None:
        body["erreurs"] = erreurs
    return body


class ProblemResponse(JSONResponse):
    """A problem document; the value it echoes may hold what UTF-8 cannot encode (a lone
    surrogate sent as a JSON escape): it is then written back as an escape, never a 500."""

    media_type = PROBLEM_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def problem_response(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> JSONResponse:
    """A JSON response with the problem media type."""
    return ProblemResponse(body, status_code=status, headers=headers)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for these error statuses."""
    descriptions = {
        401: "Clé d'API absente, invalide ou révoquée (en-tête `WWW-Authenticate: Bearer`).",
        404: "Soumission introuvable (ou appartenant à une autre organisation).",
        409: "Une requête avec la même `Idempotency-Key` est encore en cours.",
        413: "Corps de requête trop volumineux.",
        422: "Données invalides : `erreurs` liste chaque ligne fautive.",
        429: "Limite de requêtes atteinte : réessayer après `Retry-After` secondes.",
    }
    return {
        status: {
            "model": ProblemDetails,
            "description": descriptions.get(status, TITLES.get(status, "Erreur")),
            "content": {
                PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
            },
        }
        for status in statuses
    }


async def _problem_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(exc.status, exc.body(), exc.headers)


async def _http_exception_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Erreur")
    return problem_response(exc.status_code, problem_body(exc.status_code, detail), exc.headers)


async def _validation_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    erreurs = [
        {
            "ligne": None,
            "champ": ".".join(str(part) for part in error.get("loc", ())),
            "valeur": jsonable_encoder(error.get("input")),
            "raison": _reason(error),
        }
        for error in exc.errors()
    ]
    body = problem_body(
        422, "Paramètres de la requête invalides.", slug="parametres-invalides", erreurs=erreurs
    )
    return problem_response(422, body)


def _reason(error: Any) -> str:
    reason = PYDANTIC_REASONS.get(error.get("type", ""))
    if reason is None:
        return str(error.get("msg", ""))
    bounds = {k: v for k, v in (error.get("ctx") or {}).items() if k in BOUND_KEYS}
    return f"{reason} ({', '.join(f'{k} {v}' for k, v in bounds.items())})" if bounds else reason


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error (ours, HTTP, request validation) with problem details."""
    app.add_exception_handler(Problem, _problem_handler)
    app.add_exception_handler(StarletteHTTPException, _http_exception_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
