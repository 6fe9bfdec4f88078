"""Synthetic demo data: fictional associations and plausible monthly counts, clearly labelled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from observatoire.domain.periods import current_month, month_range, previous_month
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.publication.service import publish
from observatoire.settings import Settings
from observatoire.store.models import Organisation, Publication
from observatoire.submissions.bulk import bulk_store_submission
from observatoire.submissions.organisations import create_organisation
from observatoire.submissions.validation import ValidRow

DEMO_ASSOCIATIONS = [
    ("demo-accueil-droits", "Accueil et Droits (association fictive)"),
    ("demo-solidarite-sejour", "Solidarité Séjour (association fictive)"),
    ("demo-permanences-juridiques", "Permanences juridiques (association fictive)"),
    ("demo-reseau-entraide", "Réseau d'entraide (association fictive)"),
    ("demo-maison-des-droits", "Maison des droits (association fictive)"),
]
# Relative frequency of each type among reports: appointments and attestations dominate.
TYPE_WEIGHTS = {
    "depot_impossible": 1.4,
    "demarche_absente": 0.8,
    "demarches_simultanees": 0.4,
    "modification_impossible": 0.7,
    "changement_situation": 0.6,
    "substitution_absente": 0.5,
    "instruction_bloquee": 1.6,
    "rdv_indisponible": 1.5,
    "contact_injoignable": 1.0,
    "api_non_delivree": 1.3,
    "api_sans_droit_travail": 0.6,
    "attestation_refusee": 0.7,
    "perte_emploi": 0.6,
    "perte_france_travail": 0.5,
    "perte_prestations": 0.5,
    "perte_logement": 0.3,
    "situation_irreguliere": 0.4,
}


PRODUCTION_REFUSAL = (
    "Démonstration refusée : ENVIRONMENT=production. Les données de démonstration sont "
    "FICTIVES et ne doivent pas entrer dans une base de production ; lancez la démonstration "
    "sur une base de développement (ENVIRONMENT=development, valeur par défaut)."
)


class DemoRefusedInProduction(RuntimeError):
    """The demo was asked for in production."""


def refuse_in_production(environment: str) -> None:
    """Raise `DemoRefusedInProduction` when `environment` is production."""
    if environment.strip().lower() == "production":
        raise DemoRefusedInProduction(PRODUCTION_REFUSAL)


@dataclass(frozen=True)
class DemoPlan:
    """Size of the demo: months covered, national reports a month, monthly publications."""

    first_month: str
    last_month: str
    reports_per_month: int = 12000
    monthly_publications: int = 3
    seed: int = 20211


def demo_counts(plan: DemoPlan) -> dict[str, list[ValidRow]]:
    """Deterministic counts per fictional association (long format, zeros omitted)."""
    rng = np.random.default_rng(plan.seed)
    territories, taxonomy = load_territories(), load_taxonomy()
    deps = territories.departements
    months = month_range(plan.first_month, plan.last_month)
    types = list(taxonomy.type_codes)
    regions = sorted({d.region_code for d in deps})
    region_factor = dict(zip(regions, rng.lognormal(0.0, 0.35, len(regions)), strict=True))
    dep_weight = np.array([d.population * region_factor[d.region_code] for d in deps], float)
    dep_weight /= dep_weight.sum()
    type_weight = np.array([TYPE_WEIGHTS.get(t, 1.0) for t in types])
    type_weight /= type_weight.sum()
    # Each association works in part of the country; the biggest one everywhere.
    presence = rng.random((len(DEMO_ASSOCIATIONS), len(deps))) < np.array(
        [[1.0], [0.6], [0.4], [0.3], [0.25]]
    )
    spikes = {(int(rng.integers(len(deps))), int(rng.integers(len(months)))) for _ in range(6)}
    rows: dict[str, list[ValidRow]] = {slug: [] for slug, _ in DEMO_ASSOCIATIONS}
    for mi, month in enumerate(months):
        m = int(month[5:])
        seasonal = 1 + 0.25 * np.cos((m - 10) / 12 * 2 * np.pi)  # peak at the autumn "rentrée"
        trend = 0.6 + 0.8 * mi / max(1, len(months) - 1)  # ANEF covers more procedures over time
        expected = plan.reports_per_month * seasonal * trend * np.outer(dep_weight, type_weight)
        for di, _ in enumerate(deps):
            if (di, mi) in spikes:
                expected[di] *= 3.0
        counts = rng.poisson(expected)
        for di, dep in enumerate(deps):
            orgs = np.flatnonzero(presence[:, di]) if presence[:, di].any() else np.array([0])
            share = rng.dirichlet(np.ones(len(orgs)) * 2)
            for ti, typ in enumerate(types):
                if counts[di, ti] == 0:
                    continue
                split = rng.multinomial(counts[di, ti], share)
                for oi, n in zip(orgs, split, strict=True):
                    if n:
                        slug = DEMO_ASSOCIATIONS[int(oi)][0]
                        rows[slug].append(
                            ValidRow(len(rows[slug]) + 1, dep.code, month, typ, int(n))
                        )
    return rows


def database_is_empty(engine: Engine) -> bool:
    """True when no organisation and no publication exist."""
    with Session(engine) as session:
        orgs = session.exec(select(func.count()).select_from(Organisation)).one()
        pubs = session.exec(select(func.count()).select_from(Publication)).one()
    return orgs == 0 and pubs == 0


def default_plan(today: date | None = None) -> DemoPlan:
    """Demo history from 2021 (ANEF's first year) to the last complete month."""
    return DemoPlan(first_month="2021-01", last_month=previous_month(current_month(today)))


def create_demo(
    engine: Engine,
    settings: Settings,
    plan: DemoPlan,
    *,
    report: Callable[[str], None] = print,
    today: date | None = None,
) -> list[int]:
    """Create the fictional associations, store their counts, publish history then months."""
    refuse_in_production(settings.environment)
    counts = demo_counts(plan)
    for slug, name in DEMO_ASSOCIATIONS:
        org = create_organisation(engine, slug, name, synthetique=True)
        rows = counts[slug]
        bulk_store_submission(engine, org.id, None, rows, source="demo")
        report(f"{name} : {len(rows):,} lignes".replace(",", " "))
    months = month_range(plan.first_month, plan.last_month)
    history_end = (
        months[-plan.monthly_publications - 1]
        if len(months) > plan.monthly_publications
        else months[-1]
    )
    ids = [publish(engine, settings, up_to=history_end, today=today).id]
    report(f"Publication {ids[0]} : historique jusqu'à {history_end}")
    for month in months[months.index(history_end) + 1 :]:
        ids.append(publish(engine, settings, up_to=month, today=today).id)
        report(f"Publication {ids[-1]} : mois {month}")
    return ids
