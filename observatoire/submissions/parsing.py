"""Turn a request body (JSON or CSV text) into raw rows for `validation.validate_rows`.

Parsers only reshape: they never coerce JSON types (`"12"` stays a string and is refused),
while CSV integer text (`12`) becomes an int since CSV has no types.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from observatoire.submissions.rows import COLUMNS, RowError, WrongWidthRow

INTEGER_TEXT = re.compile(r"^\s*-?\d+\s*$")  # a negative number is then called negative
MAX_REASON_CHARS = 500  # `motif`: the reason given for a batch or a withdrawal
NUL_SAMPLE_CHARS = 1000  # start of a text looked at to tell UTF-16 from a stray NUL


class ParseError(ValueError):
    """The body is not a batch at all; `errors` say why (line None: the whole body)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(e.raison for e in errors))
        self.errors = errors


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"valeur non standard {name}")


def nul_byte(text: str) -> tuple[int, str] | None:
    """(line of the first NUL character, header counted as line 1; its likely cause), or None.

    No CSV text holds a NUL: it comes from a binary file, or from UTF-16 (Excel's « Texte
    Unicode ») read as 8-bit text, where every other character is NUL."""
    at = text.find("\0")
    if at < 0:
        return None
    line = text.count("\n", 0, at) + 1
    head = text[:NUL_SAMPLE_CHARS]
    if 3 * head.count("\0") >= len(head):
        return line, "le fichier semble encodé en UTF-16 (export « Texte Unicode ») sans BOM"
    return line, "ce n'est probablement pas un CSV texte (fichier binaire, ou export UTF-16)"


def parse_json_body(body: bytes) -> list[Any]:
    """`{"lignes": [...]}` → the list of rows, unchanged."""
    return _json_batch(body)[0]


def _json_batch(body: bytes) -> tuple[list[Any], str | None]:
    """`{"lignes": [...], "motif"?: "..."}` → the rows, unchanged, and the reason given."""
    try:
        payload = json.loads(body.decode("utf-8-sig"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ParseError([RowError(None, None, None, f"JSON illisible : {exc}")]) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("lignes"), list):
        reason = 'le corps doit être un objet {"lignes": [...]}'
        raise ParseError([RowError(None, "lignes", None, reason)])
    unknown = sorted(set(payload) - {"lignes", "motif"})
    if unknown:
        raise ParseError([RowError(None, name, None, "champ inconnu") for name in unknown])
    motif = payload.get("motif")
    if motif is not None and (not isinstance(motif, str) or len(motif) > MAX_REASON_CHARS):
        reason = f"le motif doit être un texte d'au plus {MAX_REASON_CHARS} caractères"
        raise ParseError([RowError(None, "motif", None, reason)])
    return payload["lignes"], motif or None


def parse_csv_body(body: bytes) -> list[Any]:
    """UTF-8 CSV (BOM allowed) with a header row, `,` or `;` separated → rows."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        reason = "le CSV doit être encodé en UTF-8"
        raise ParseError([RowError(None, None, None, reason)]) from exc
    if found := nul_byte(text):
        line, cause = found
        reason = f"octet NUL à la ligne {line} du CSV (en-tête compris) : {cause}"
        raise ParseError([RowError(None, None, None, f"{reason} ; envoyer du CSV UTF-8")])
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ParseError([RowError(None, None, None, f"CSV illisible : {exc}")]) from exc
    # Spreadsheets append empty lines; inner ones stay so that `ligne` matches the file.
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()
    if not records:
        raise ParseError([RowError(None, None, None, "le CSV est vide (en-tête attendu)")])
    header = [name.strip() for name in records[0]]
    errors = [
        RowError(None, name, None, "colonne obligatoire absente de l'en-tête")
        for name in COLUMNS
        if name not in header
    ]
    errors += [
        RowError(None, name, None, "colonne inconnue dans l'en-tête")
        for name in header
        if name not in COLUMNS
    ]
    if len(set(header)) != len(header):
        errors.append(RowError(None, None, header, "colonne en double dans l'en-tête"))
    if errors:
        raise ParseError(errors)
    rows: list[Any] = []
    for record in records[1:]:
        if len(record) != len(header):
            rows.append(WrongWidthRow(record))  # reported by validation at its line
            continue
        row: dict[str, Any] = {
            name: cell.strip() for name, cell in zip(header, record, strict=True)
        }
        if INTEGER_TEXT.match(row["nombre"]):
            row["nombre"] = int(row["nombre"])
        rows.append(row)
    return rows


def parse_body(body: bytes, content_type: str | None) -> list[Any]:
    """Dispatch on the media type: `text/csv` → CSV, anything else → JSON."""
    return parse_batch(body, content_type)[0]


def parse_batch(body: bytes, content_type: str | None) -> tuple[list[Any], str | None]:
    """The rows of a body and the reason (`motif`) a JSON body gives."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type in {"text/csv", "application/csv"}:
        return parse_csv_body(body), None
    return _json_batch(body)
