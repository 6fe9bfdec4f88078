"""The import summary of a batch, DHIS2-like: each row as understood (codes and names), whether
it is new, changed (with the value it replaces) or unchanged, and the batch's warnings.

A dry run compares with the values held now; a stored batch is described from the revisions it
wrote, so that the old values shown are the ones it really replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine, select

from observatoire.domain.periods import current_month
from observatoire.domain.taxonomy import Taxonomy
from observatoire.domain.territories import Territories
from observatoire.store.db import read_session
from observatoire.store.models import CurrentCount, Organisation, Revision
from observatoire.submissions.rows import RowError
from observatoire.submissions.validation import ValidColumns

Cell = tuple[str, str, str]


@dataclass(frozen=True)
class ImportSummary:
    """What a batch does (or would do, dry run) to the association's values."""

    lignes: list[dict[str, Any]]
    nouvelles: int
    modifiees: int
    inchangees: int
    avertissements: list[RowError] = field(default_factory=list)

    def resume(self) -> dict[str, int]:
        """The counts (`resume` of the API)."""
        return {
            "lignes": len(self.lignes),
            "nouvelles": self.nouvelles,
            "modifiees": self.modifiees,
            "inchangees": self.inchangees,
        }


def summarise(
    engine: Engine,
    organisation_id: int,
    batch: ValidColumns,
    *,
    submission_id: int | None,
    territories: Territories,
    taxonomy: Taxonomy,
    today: date | None = None,
) -> ImportSummary:
    """Describe `batch`: against the values held now (dry run, `submission_id` None), or from
    the revisions the stored submission wrote."""
    with read_session(engine) as session:
        if submission_id is None:
            old = _held(session, organisation_id, batch)
        else:
            old = _replaced(session, submission_id)
        debut = session.execute(
            select(Organisation.debut).where(Organisation.id == organisation_id)
        ).scalar_one_or_none()
    names = {d.code: d.nom for d in territories.departements}
    labels = {t.code: t.libelle_fr for t in taxonomy.types}
    lines: list[dict[str, Any]] = []
    counts = {"nouvelle": 0, "modifiee": 0, "inchangee": 0}
    columns = (batch.ligne, batch.departement, batch.mois, batch.type_incident, batch.nombre)
    for ligne, dep, mois, kind, nombre in zip(*columns, strict=True):
        cell = (dep, mois, kind)
        if submission_id is None:
            before = old.get(cell)
            status = (
                "nouvelle" if before is None else "modifiee" if before != nombre else "inchangee"
            )
        elif cell in old:
            before = old[cell]
            status = "nouvelle" if before is None else "modifiee"
        else:
            before, status = nombre, "inchangee"
        counts[status] += 1
        lines.append(
            {
                "ligne": ligne,
                "departement": dep,
                "departement_nom": names.get(dep),
                "mois": mois,
                "type_incident": kind,
                "type_libelle": labels.get(kind),
                "nombre": nombre,
                "statut": status,
                "ancien_nombre": before,
            }
        )
    warnings = month_warnings(batch, debut=debut, today=today)
    return ImportSummary(
        lines, counts["nouvelle"], counts["modifiee"], counts["inchangee"], warnings
    )


def month_warnings(batch: ValidColumns, *, debut: str | None, today: date | None) -> list[RowError]:
    """One warning per month still running, and per month before the association's start,
    at the first row that names it."""
    running = current_month(today)
    first_line: dict[str, int] = {}
    for ligne, mois in zip(batch.ligne, batch.mois, strict=True):
        first_line.setdefault(mois, ligne)
    warnings = []
    for mois, ligne in sorted(first_line.items(), key=lambda item: item[1]):
        if mois == running:
            reason = (
                f"le mois {mois} n'est pas terminé : ces chiffres sont provisoires, "
                "renvoyez-les complets après la fin du mois"
            )
            warnings.append(RowError(ligne, "mois", mois, reason))
        elif debut and mois < debut:
            reason = (
                f"le mois {mois} précède le premier mois déclaré par votre association "
                f"({debut}) : vérifiez l'année"
            )
            warnings.append(RowError(ligne, "mois", mois, reason))
    return warnings


def _held(session: Any, organisation_id: int, batch: ValidColumns) -> dict[Cell, int | None]:
    wanted = set(zip(batch.departement, batch.mois, batch.type_incident, strict=True))
    query = select(
        CurrentCount.departement, CurrentCount.mois, CurrentCount.type_incident, CurrentCount.nombre
    ).where(
        CurrentCount.organisation_id == organisation_id,
        CurrentCount.mois.in_(sorted({c[1] for c in wanted})),  # type: ignore[attr-defined]
        CurrentCount.departement.in_(sorted({c[0] for c in wanted})),  # type: ignore[attr-defined]
    )
    return {
        (dep, mois, kind): n
        for dep, mois, kind, n in session.execute(query).all()
        if (dep, mois, kind) in wanted
    }


def _replaced(session: Any, submission_id: int) -> dict[Cell, int | None]:
    query = select(
        Revision.departement, Revision.mois, Revision.type_incident, Revision.ancienne_valeur
    ).where(Revision.submission_id == submission_id, Revision.action.is_(None))  # type: ignore[union-attr]
    return {(dep, mois, kind): old for dep, mois, kind, old in session.execute(query).all()}


def _status(before: int | None, nombre: int) -> str:
    if before is None:
        return "nouvelle"
    return "modifiee" if before != nombre else "inchangee"
