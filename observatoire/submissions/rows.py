"""What a submitted batch is made of before validation: its columns, raw rows, and faults.

Parsing (`parsing`), validation (`validation`) and the file loader (`observatoire.loading`) all
speak this vocabulary; none of them imports another to get it.

Line numbers are those a spreadsheet shows, header = line 1: a CSV or XLSX file's own line
numbers, and for a JSON batch the element of index i is line i + 2 (`FIRST_DATA_LINE` + i).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

COLUMNS = ("departement", "mois", "type_incident", "nombre")
CELL_FIELDS = "departement, mois, type_incident"
FIRST_DATA_LINE = 2  # the header is line 1


class WrongWidthRow(list):
    """A CSV record whose number of cells differs from the header's."""


@dataclass(frozen=True)
class RowError:
    """One fault: line (None: the whole batch), field, value, reason (French), and where
    possible the likely right value (`suggestion`) and the spreadsheet cell (`emplacement`)."""

    ligne: int | None
    champ: str | None
    valeur: Any
    raison: str
    suggestion: str | None = None
    emplacement: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form of the API contract (`docs/api-associations.md`)."""
        return {
            "ligne": self.ligne,
            "colonne": self.champ,
            "champ": self.champ,
            "emplacement": self.emplacement,
            "valeur": self.valeur,
            "message": self.raison,
            "suggestion": self.suggestion,
            "raison": self.raison,
        }
