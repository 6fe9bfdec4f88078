"""Open data: the DCAT catalogue, whole-publication packages, what changed, the Atom feed."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from api.deps import SettingsDep, TaxonomyDep, TerritoriesDep
from api.public_models import BINARY_SCHEMA, OBJECT_SCHEMA, TEXT_SCHEMA, file_responses
from api.rendering import changes_csv, meta_dict
from api.routes.publications import PublicationPublic
from observatoire.opendata import catalogue as dcat
from observatoire.opendata.changes import compare, previous_publication
from observatoire.opendata.feed import atom_feed
from observatoire.opendata.package import build_package, descriptor, package_name
from observatoire.opendata.summary import summary
from observatoire.publication.snapshot import PublishedCube

router = APIRouter(tags=["Données ouvertes"])

PublicationId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Numéro de publication.")]
JSONLD = "application/ld+json"
TURTLE = "text/turtle; charset=utf-8"
ZIP = "application/zip"
ATOM = "application/atom+xml"
CSV = "text/csv; charset=utf-8"
NOT_FOUND = "Publication introuvable."


def _base_url(request: Request, settings: Any) -> str:
    return settings.opendata_base_url or str(request.base_url)


async def _cube(request: Request, pub_id: int) -> PublishedCube:
    cube: PublishedCube = await request.app.state.publications.aresolve(pub_id)
    return cube


@router.get(
    "/v1/catalogue",
    response_class=Response,
    responses=file_responses({JSONLD: OBJECT_SCHEMA, TURTLE: TEXT_SCHEMA}),
)
async def catalogue(
    request: Request,
    settings: SettingsDep,
    format: Annotated[
        Literal["jsonld", "turtle"] | None,
        Query(description="jsonld ou turtle (défaut : selon `Accept`, JSON-LD sinon)."),
    ] = None,  # noqa: A002
) -> Response:
    """Catalogue DCAT-AP (JSON-LD ou Turtle) : le jeu de données et chaque publication.

    Chaque publication est une distribution : son paquet complet (zip), son schéma
    (`datapackage.json`), sa couverture temporelle, la licence Etalab 2.0 et, le cas échéant,
    la mention « données fictives » (`obs:synthetique`). Moissonnable par data.gouv.fr.
    Aussi servi à `/v1/catalogue.jsonld` et `/v1/catalogue.ttl`.
    """
    if format is None:
        format = "turtle" if "text/turtle" in request.headers.get("accept", "") else "jsonld"
    response = await _catalogue(request, settings, format)
    response.headers["Vary"] = "Accept"
    return response


@router.get("/v1/catalogue.jsonld", response_class=Response,
            responses=file_responses({JSONLD: OBJECT_SCHEMA}))  # fmt: skip
async def catalogue_jsonld(request: Request, settings: SettingsDep) -> Response:
    """Le catalogue DCAT-AP en JSON-LD (adresse de fichier, pour les moissonneurs)."""
    return await _catalogue(request, settings, "jsonld")


@router.get("/v1/catalogue.ttl", response_class=Response,
            responses=file_responses({TURTLE: TEXT_SCHEMA}))  # fmt: skip
async def catalogue_turtle(request: Request, settings: SettingsDep) -> Response:
    """Le catalogue DCAT-AP en Turtle (adresse de fichier, pour les moissonneurs)."""
    return await _catalogue(request, settings, "turtle")


async def _catalogue(request: Request, settings: Any, fmt: str) -> Response:
    metas = request.app.state.publications.metas
    document = dcat.catalogue(
        metas, base_url=_base_url(request, settings), publisher=settings.opendata_publisher
    )
    if fmt == "turtle":
        body = await anyio.to_thread.run_sync(dcat.to_turtle, document)
        return Response(body, media_type=TURTLE)
    return Response(json.dumps(document, ensure_ascii=False).encode(), media_type=JSONLD)


@router.get(
    "/v1/publications.atom",
    response_class=Response,
    responses=file_responses({ATOM: TEXT_SCHEMA}),
)
async def publications_feed(request: Request, settings: SettingsDep) -> Response:
    """Flux Atom des publications : une entrée par publication (lien, date, titre, paquet)."""
    body = atom_feed(
        request.app.state.publications.metas,
        base_url=_base_url(request, settings),
        publisher=settings.opendata_publisher,
    )
    return Response(body, media_type=ATOM)


@router.get(
    "/v1/publications/{publication_id}/paquet.zip",
    response_class=Response,
    responses=file_responses({ZIP: BINARY_SCHEMA}, not_found=NOT_FOUND, etag=True),
)
async def package(
    publication_id: PublicationId,
    request: Request,
    settings: SettingsDep,
    territories: TerritoriesDep,
    taxonomy: TaxonomyDep,
) -> Response:
    """Paquet de données complet d'une publication (Frictionless, zip), immuable.

    `datapackage.json` (un Table Schema par fichier), un CSV par niveau (département, région,
    France) × sélection (type, famille, tous) × pas (mois, trimestre, année), cellules masquées
    vides avec `secret` à `true`, et un README en français (méthode, seuil, couverture,
    licence). `ETag` et `If-None-Match` (304).
    """
    cube = await _cube(request, publication_id)

    def build() -> tuple[bytes, str]:
        return build_package(cube, territories, taxonomy), ZIP

    response = await anyio.to_thread.run_sync(
        lambda: request.app.state.response_cache.respond(
            request, cube, ("paquet",), explicit=True, max_age=0, build=build
        )
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{package_name(publication_id)}.zip"'
    )
    return response


@router.get(
    "/v1/publications/{publication_id}/datapackage.json",
    response_class=Response,
    responses=file_responses({"application/json": OBJECT_SCHEMA}, not_found=NOT_FOUND, etag=True),
)
async def package_descriptor(
    publication_id: PublicationId, request: Request, taxonomy: TaxonomyDep
) -> Response:
    """Le `datapackage.json` du paquet seul : les Table Schemas de ses fichiers."""
    cube = await _cube(request, publication_id)

    def build() -> tuple[bytes, str]:
        body = json.dumps(descriptor(cube, taxonomy), ensure_ascii=False).encode()
        return body, "application/json"

    return request.app.state.response_cache.respond(
        request, cube, ("datapackage",), explicit=True, max_age=0, build=build
    )


class CelluleModifiee(BaseModel):
    """Une cellule d'une période présente dans les deux publications, dont l'état publié change.

    `valeur_avant` / `valeur_apres` ne donnent que des valeurs publiées : `null` là où la
    cellule est masquée.
    """

    changement: Literal["revisee", "publiee", "masquee"]
    niveau: Literal["departement", "region", "france"]
    code: str
    nom: str
    type: str = Field(description="Code de type, de famille, ou « tous ».")
    periode: str
    valeur_avant: int | None
    valeur_apres: int | None


class NouvellePeriode(BaseModel):
    """Une période que seule la publication la plus récente contient."""

    periode: str
    publiees: dict[str, int] = Field(description="Valeurs publiées, par niveau.")
    secretes: dict[str, int] = Field(description="Cellules masquées, par niveau.")
    total_france: int | None = Field(description="Tous incidents, France entière (si publié).")


class Changements(BaseModel):
    """Ce qui a changé entre deux publications, et les phrases qui le résument."""

    publication: PublicationPublic
    depuis: PublicationPublic | None = Field(description="Publication de comparaison.")
    resume: list[str] = Field(description="Phrases en français, chiffres compris, à citer.")
    nouvelles_periodes: list[NouvellePeriode]
    periodes_retirees: list[str]
    comptes: dict[str, int] = Field(description="Cellules révisées, publiées, masquées.")
    cellules: list[CelluleModifiee]


@router.get(
    "/v1/publications/{publication_id}/changements",
    response_model=Changements,
    responses=file_responses({CSV: TEXT_SCHEMA}, not_found=NOT_FOUND, etag=True),
)
async def changes(
    publication_id: PublicationId,
    request: Request,
    territories: TerritoriesDep,
    taxonomy: TaxonomyDep,
    depuis: Annotated[
        int | None,
        Query(
            ge=1, le=2**31 - 1, description="Publication de comparaison (défaut : la précédente)."
        ),
    ] = None,
    limite: Annotated[
        int | None,
        Query(
            ge=0,
            le=10_000_000,
            description="Nombre maximal de cellules listées (défaut : "
            "toutes) ; les comptes et le résumé portent toujours sur toutes.",
        ),
    ] = None,  # fmt: skip
    format: Literal["json", "csv"] = "json",  # noqa: A002
) -> Response:
    """Nouveau dans cette publication : périodes ajoutées, valeurs révisées, publiées, masquées.

    Compare la publication à la précédente (ou à `depuis`). Une cellule masquée dans l'une des
    deux publications n'a de valeur que là où elle était publiée. `resume` : des phrases en
    français à citer telles quelles. `format=csv` : une ligne par cellule modifiée.
    """
    store = request.app.state.publications
    cube = await _cube(request, publication_id)
    since = depuis
    if since is None:
        since = previous_publication([m.id for m in store.metas], publication_id)
    before = await store.aresolve(since) if since is not None else None

    def build() -> tuple[bytes, str]:
        found = compare(before, cube, territories, taxonomy)
        listed = found.cells if limite is None else found.cells[:limite]
        if format == "csv":
            return changes_csv(found, listed), CSV
        body = {
            "publication": meta_dict(found.after),
            "depuis": meta_dict(found.before) if found.before else None,
            "resume": summary(found),
            "nouvelles_periodes": [asdict(p) for p in found.new_periods],
            "periodes_retirees": found.removed_periods,
            "comptes": {k: found.count(k) for k in ("revisee", "publiee", "masquee")},
            "cellules": [asdict(c) for c in listed],
        }
        return json.dumps(body, ensure_ascii=False).encode(), "application/json"

    key = ("changements", since, limite, format)
    return await anyio.to_thread.run_sync(
        lambda: request.app.state.response_cache.respond(
            request, cube, key, explicit=True, max_age=0, build=build
        )
    )
