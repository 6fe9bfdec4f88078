"""Alerts: départements whose latest period is unusually high, from published cells only."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response

from api.deps import PublicationsDep, ResponseCacheDep, SettingsDep, TaxonomyDep, TerritoriesDep
from api.params import PublicationParam, TypeParam
from api.public_models import Alertes, public_responses
from api.rendering import FORMAT_MEDIA, Slice, respond
from observatoire.domain.territories import Departement
from observatoire.publication import alerts, views
from observatoire.publication.dimensions import dep_id
from observatoire.publication.planned import check_planned
from observatoire.publication.snapshot import PublishedCube

router = APIRouter(prefix="/v1/alertes", tags=["Statistiques publiques"])

MEDIA = {f: FORMAT_MEDIA[f] for f in ("json", "csv")}


def _rule_text(rule: alerts.Rule, step: str) -> str:
    unit = "trimestres" if step == "trimestre" else "mois"
    ratio, factor = (f"{x:g}".replace(".", ",") for x in (rule.ratio, rule.mad_factor))
    return (
        f"Dernière période publiée ≥ {ratio} × médiane des {rule.window} {unit} "
        f"précédents et ≥ médiane + {factor} × MAD (MAD au moins {rule.mad_floor:g}) ; "
        "toutes ces cellules publiées (aucune cellule secrète utilisée) et médiane > 0."
    )


@router.get(
    "",
    response_class=Response,
    responses=public_responses(
        Alertes,
        not_found="Publication ou type absent, ou tableau (département × type × pas) hors du "
        "plan de publication (« Non publié à ce niveau de détail »).",
    ),
)
async def list_alerts(
    request: Request,
    settings: SettingsDep,
    publications: PublicationsDep,
    cache: ResponseCacheDep,
    territories: TerritoriesDep,
    taxonomy: TaxonomyDep,
    type: TypeParam = "tous",  # noqa: A002 - the public parameter name
    pas: Literal["trimestre", "mois"] = "trimestre",
    publication: PublicationParam = None,
    format: Literal["json", "csv"] = "json",  # noqa: A002
) -> Response:
    """Départements dont la dernière période est inhabituellement élevée par rapport à leur
    propre historique récent.

    Règle (calculée par l'API sur les seules cellules publiées de la publication) :

    * fenêtre : la dernière période publiée au pas demandé (dernier trimestre complet, ou
      dernier mois) et les 4 trimestres (ou 6 mois) qui la précèdent ;
    * un département n'est **évaluable** que si toutes les cellules de la fenêtre sont publiées
      (aucune cellule secrète n'est utilisée, ni comme borne) et si la médiane de l'historique
      est supérieure à zéro ;
    * **alerte** quand la dernière valeur est ≥ 1,5 × la médiane de l'historique **et**
      ≥ médiane + 2 × MAD (écart absolu médian, compté au moins 1).

    Les séries lues sont celles du tableau département × type × pas : hors du plan de
    publication, 404 « Non publié à ce niveau de détail » (aucune cellule hors plan n'est lue).

    `evaluees` et `non_evaluables` disent combien de départements ont pu être examinés. Une
    alerte signale une hausse des signalements, pas une hausse prouvée des défaillances (la
    couverture des associations peut changer).
    """

    def build(cube: PublishedCube) -> Slice:
        incident = views.check_incident(cube, taxonomy, type)
        check_planned(cube, "departement", incident, pas)
        deps = {dep_id(d.code): d for d in territories.departements}
        report = alerts.detect(cube, list(deps), incident, pas)
        rows = [_row(alert, deps[alert.territory]) for alert in report.alerts]
        query = {"type": incident, "pas": pas, "periode": report.period}
        if format == "csv":  # one line per alert: the history stays in JSON
            return Slice(query, [{k: v for k, v in r.items() if k != "historique"} for r in rows])
        rule = {
            "description": _rule_text(report.rule, pas),
            "fenetre": report.rule.window,
            "ratio": report.rule.ratio,
            "facteur_mad": report.rule.mad_factor,
            "mad_minimum": report.rule.mad_floor,
        }
        extra = {
            "regle": rule,
            "evaluees": report.evaluated,
            "non_evaluables": report.not_evaluable,
            "count": len(rows),
        }
        return Slice(query, rows, extra)

    return await respond(
        request,
        publications,
        cache,
        publication=publication,
        key=("alertes", type, pas),
        fmt=format,
        max_age=settings.api_cache_max_age_s,
        build=build,
    )


def _row(alert: alerts.Alert, dep: Departement) -> dict[str, Any]:
    verdict = alert.assessment
    return {
        "code": dep.code,
        "nom": dep.nom,
        "periode": alert.period,
        "valeur": verdict.latest,
        "secret": False,
        "taux_100k": views.rate(verdict.latest, dep.population),
        "mediane": verdict.median,
        "mad": verdict.mad,
        "ratio": verdict.ratio,
        "historique": [
            {"periode": p, "valeur": v}
            for p, v in zip(alert.history_periods, verdict.history, strict=True)
        ],
    }
