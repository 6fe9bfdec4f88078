"""Read every cell the open-data routes publish, for the disclosure scans.

The package (one zip per publication) and the changes between publications are public routes
like `/v1/statistiques`: the scans read them too and check the same invariants.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator

from fastapi.testclient import TestClient
from httpx import Response

from observatoire.domain.periods import period_level
from observatoire.domain.taxonomy import load_taxonomy

Cell = tuple[str, str, str, str, int | None, bool]  # level, code, incident, period, value, secret
Table = tuple[str, str, str]  # territory level, incident level, period level
NOT_PUBLISHED = "urn:observatoire-anef:probleme:non-publie"
_FAMILIES = set(load_taxonomy().family_codes)


def planned_tables(client: TestClient, pub_id: int) -> set[Table]:
    """The tables the publication's plan publishes, as the API states them."""
    plan = client.get(f"/v1/publications/{pub_id}").json()["plan"]["tableaux"]
    return {(t["territoire"], t["incidents"], t["periode"]) for t in plan}


def table_of(level: str, incident: str, period: str) -> Table:
    """The table a cell belongs to."""
    kind = "tous" if incident == "tous" else "famille" if incident in _FAMILIES else "type"
    return level, kind, period_level(period)


def assert_not_published(response: Response) -> None:
    """A « non publié » problem document: no cell, the published tables listed."""
    assert response.status_code == 404, response.text
    body = response.json()
    assert body["type"] == NOT_PUBLISHED and body["publies"], body
    assert "data" not in body


def package_cells(client: TestClient, pub_id: int) -> Iterator[Cell]:
    """Every cell of every CSV of the publication's package (one CSV per table of its plan)."""
    response = client.get(f"/v1/publications/{pub_id}/paquet.zip")
    assert response.status_code == 200, response.text
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = [n for n in archive.namelist() if n.endswith(".csv")]
    plan = client.get(f"/v1/publications/{pub_id}").json()["plan"]["tableaux"]
    assert sorted(names) == sorted(
        f"{t['territoire']}-{t['incidents']}-{t['periode']}.csv" for t in plan
    ), names
    for name in names:
        level, kind, _step = name.removesuffix(".csv").split("-")
        text = archive.read(name).decode()
        for row in csv.DictReader(io.StringIO(text)):
            assert row["publication"] == str(pub_id)
            incident = {"type": row.get("type_incident"), "famille": row.get("famille")}.get(
                kind, "tous"
            )
            value = int(row["valeur"]) if row["valeur"] else None
            assert (row["taux_100k"] == "") == (value is None)
            yield level, row["code"], str(incident), row["periode"], value, row["secret"] == "true"


def change_cells(
    client: TestClient, pub_id: int, since: int | None = None
) -> Iterator[tuple[str, Cell, Cell]]:
    """(kind, before, after) of every changed cell, from the JSON and the CSV (which must agree)."""
    params = {} if since is None else {"depuis": since}
    body = client.get(f"/v1/publications/{pub_id}/changements", params=params).json()
    text = client.get(
        f"/v1/publications/{pub_id}/changements", params={**params, "format": "csv"}
    ).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(body["cellules"])
    for cell, row in zip(body["cellules"], rows, strict=True):
        for side in ("valeur_avant", "valeur_apres"):
            assert (row[side] or None) == (None if cell[side] is None else str(cell[side]))
        key = (cell["niveau"], cell["code"], cell["type"], cell["periode"])
        before = (*key, cell["valeur_avant"], cell["valeur_avant"] is None)
        after = (*key, cell["valeur_apres"], cell["valeur_apres"] is None)
        yield cell["changement"], before, after
