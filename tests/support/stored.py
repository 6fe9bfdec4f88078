"""What submissions stored, read back for assertions."""

from __future__ import annotations

from sqlalchemy import Engine, text

from observatoire.submissions.content import decode_lines


def stored_lines(engine: Engine, organisation_id: int | None = None) -> list[tuple]:
    """(submission id, ligne, département, mois, type, nombre) of every stored line (of one
    organisation if given), by submission, in submitted order."""
    query = (
        "SELECT c.submission_id, c.contenu FROM submission_content c "
        "JOIN submission s ON s.id = c.submission_id"
        + ("" if organisation_id is None else " WHERE s.organisation_id = :org")
        + " ORDER BY c.submission_id"
    )
    with engine.connect() as conn:
        found = conn.execute(text(query), {"org": organisation_id}).all()
    return [
        (submission_id, r.ligne, r.departement, r.mois, r.type_incident, r.nombre)
        for submission_id, blob in found
        for r in decode_lines(blob)
    ]
