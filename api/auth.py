"""Authentication of associations by API key (`Authorization: Bearer obs_…`), then rate limit."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.deps import EngineDep, SettingsDep
from api.problems import Problem
from observatoire.submissions.keys import AuthenticatedKey, check_key

REFUSED_KEY = {
    "invalide": "Clé d'API invalide ou révoquée : vérifiez-la (copiée en entier ?).",
    "revoquee": "Clé d'API révoquée : demandez une nouvelle clé à l'observatoire.",
    "expiree": "Clé d'API expirée : demandez une nouvelle clé à l'observatoire.",
}

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="CleApi",
    description="Clé d'API de l'association : `Authorization: Bearer obs_<préfixe>_<secret>`.",
)


def authenticate(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> AuthenticatedKey:
    """The organisation behind the Bearer key; 401 if missing, invalid or revoked; 429 if over
    the per-key rate limit."""
    if credentials is None:
        raise Problem(
            401,
            "Clé d'API manquante : envoyer `Authorization: Bearer <clé>`.",
            slug="cle-manquante",
            headers={"WWW-Authenticate": 'Bearer realm="observatoire-anef"'},
        )
    caller = check_key(engine, credentials.credentials, settings.effective_pepper)
    if not isinstance(caller, AuthenticatedKey):
        raise Problem(
            401,
            REFUSED_KEY[caller],
            slug=f"cle-{caller}",
            headers={"WWW-Authenticate": 'Bearer realm="observatoire-anef", error="invalid_token"'},
        )
    retry_after = request.app.state.rate_limiter.hit(caller.key_prefix)
    if retry_after is not None:
        raise Problem(
            429,
            f"Limite de {settings.api_rate_limit} par clé atteinte : réessayer dans "
            f"{retry_after} s.",
            slug="trop-de-requetes",
            headers={"Retry-After": str(retry_after)},
        )
    return caller


CurrentOrg = Annotated[AuthenticatedKey, Depends(authenticate)]
