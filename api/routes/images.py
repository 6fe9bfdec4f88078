"""Images of a publication's views: the map and a series as Vega-Lite, SVG and PNG.

Built from the same published slices as `/v1/statistiques` (hidden cells stay hidden) and
cached per publication like them: immutable once `publication` is given (ETag, one year).
Drawn by `api/image_views.py`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam

from api.image_views import MEDIA, map_body, map_key, reference, series_body
from api.public_models import BINARY_SCHEMA, OBJECT_SCHEMA, TEXT_SCHEMA, file_responses
from api.rendering import checked
from observatoire.publication.snapshot import PublishedCube

router = APIRouter(prefix="/v1/images", tags=["Images"])

Format = Literal["svg", "png", "json"]
RESPONSES = file_responses(
    {
        MEDIA["svg"]: {**TEXT_SCHEMA, "description": "SVG : titre, description, source, licence."},
        MEDIA["png"]: BINARY_SCHEMA,
        MEDIA["json"]: {**OBJECT_SCHEMA, "description": "La spécification Vega-Lite."},
    },
    not_found="Publication, période ou territoire absent, ou vue hors du plan de publication "
    "(« Non publié à ce niveau de détail »).",
    etag=True,
)
TypeParam = Annotated[
    str,
    Query(description="Code de type, code de famille, ou « tous ».", max_length=40,
          pattern=r"^[a-z0-9_\-]+$"),
]  # fmt: skip
PeriodParam = Annotated[
    str | None,
    Query(description="AAAA, AAAA-Tn ou AAAA-MM (défaut : dernière année publiée).",
          max_length=7, pattern=r"^\d{4}(-T[1-4]|-(0[1-9]|1[0-2]))?$"),
]  # fmt: skip
PublicationParam = Annotated[
    int | None,
    Query(description="Numéro de publication (défaut : la plus récente ; donné : image "
          "immuable).", ge=1, le=2**31 - 1),
]  # fmt: skip
Mesure = Literal["valeur", "taux"]
Langue = Literal["fr", "en"]
Lignes = Literal["une", "familles", "types"]
FormatParam = Annotated[Format, PathParam(description="svg, png, ou json (spec Vega-Lite).")]


async def _respond(request: Request, publication: int | None, key: tuple, build) -> Response:  # type: ignore[no-untyped-def]
    cube = await request.app.state.publications.aresolve(publication)
    return request.app.state.response_cache.respond(
        request, cube, ("image", *key), explicit=publication is not None,
        max_age=request.app.state.settings.api_cache_max_age_s,
        build=lambda: checked(request, lambda: build(cube)),
    )  # fmt: skip


@router.get("/carte.{format}", response_class=Response, responses=RESPONSES)
async def map_image(
    request: Request,
    format: FormatParam,  # noqa: A002 - the public parameter name
    type: TypeParam = "tous",  # noqa: A002
    periode: PeriodParam = None,
    mesure: Mesure = "valeur",
    publication: PublicationParam = None,
    langue: Langue = "fr",
    liens: Annotated[
        Literal["absolus", "relatifs"],
        Query(
            description="Liens des départements : vers le tableau de bord public "
            "(absolus) ou relatifs à la page qui inclut le SVG (`./prefecture?dep=…`)."
        ),
    ] = "absolus",
) -> Response:
    """Carte des départements d'une vue (type, période, mesure, publication), en SVG, PNG
    ou spécification Vega-Lite. L'image porte son titre, sa source, sa publication et sa
    licence ; en SVG, `<title>`, `<desc>` et le nom de chaque département (lien vers sa page
    sur le tableau de bord).
    """
    ref = reference(request.app)

    def build(cube: PublishedCube) -> tuple[bytes, str]:
        return map_body(ref, cube, format, type, periode, mesure, langue, liens)

    key = map_key(format, type, periode, mesure, langue, liens)
    return await _respond(request, publication, key, build)


@router.get("/serie.{format}", response_class=Response, responses=RESPONSES)
async def series_image(
    request: Request,
    format: FormatParam,  # noqa: A002
    territoire: Annotated[
        str,
        Query(
            description="Code de département, ou FR.", max_length=3, pattern=r"^(FR|\d[\dAB]|97\d)$"
        ),
    ] = "FR",  # fmt: skip
    type: TypeParam = "tous",  # noqa: A002
    pas: Literal["mois", "trimestre", "annee"] = "trimestre",
    mesure: Mesure = "valeur",
    publication: PublicationParam = None,
    langue: Langue = "fr",
    lignes: Annotated[
        Lignes,
        Query(
            description="Lignes tracées : `une` (le `type` donné), `familles` (« tous » et "
            "chaque famille), `types` (chaque type de la famille donnée dans `type`)."
        ),
    ] = "une",
) -> Response:
    """Série d'un territoire (ou de la France) pour un type, au pas donné, en SVG, PNG ou
    spécification Vega-Lite ; les périodes en secret statistique interrompent la ligne.
    Avec `lignes`, plusieurs séries sur le même graphique (familles, ou types d'une famille).
    """
    ref = reference(request.app)

    def build(cube: PublishedCube) -> tuple[bytes, str]:
        return series_body(ref, cube, format, territoire, type, pas, mesure, langue, lignes)

    key = ("serie", territoire, type, pas, mesure, langue, format, lignes)
    return await _respond(request, publication, key, build)
