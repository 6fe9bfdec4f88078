"""Submission templates: a CSV and an XLSX an association fills in and sends back as they are.

Both hold the header and one example row, valid as it stands (the month just ended): a template
sent back unchanged, or with rows added below, loads with no edit. The XLSX adds a
« Référentiel » sheet (département codes and names; incident types, labels and French
definitions) and drop-down lists for the département and type columns.
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from observatoire.domain.periods import current_month, previous_month
from observatoire.domain.taxonomy import Taxonomy
from observatoire.domain.territories import Territories
from observatoire.submissions.rows import COLUMNS

EXAMPLE_DEPARTEMENT = "75"
EXAMPLE_COUNT = 12
VALIDATED_ROWS = 5000  # rows of the « Comptages » sheet with drop-down lists


def example_row(taxonomy: Taxonomy, today: date) -> list[object]:
    """The example row: Paris, the month just ended, the first incident type, 12."""
    return [
        EXAMPLE_DEPARTEMENT,
        previous_month(current_month(today)),
        taxonomy.types[0].code,
        EXAMPLE_COUNT,
    ]


def csv_template(taxonomy: Taxonomy, today: date) -> bytes:
    """UTF-8 (with BOM, for Excel) `;`-separated template."""
    lines = [";".join(COLUMNS), ";".join(str(v) for v in example_row(taxonomy, today))]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx_template(territories: Territories, taxonomy: Taxonomy, today: date) -> bytes:
    """The XLSX template: « Comptages » (header, example, drop-downs) and « Référentiel »."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Comptages"
    sheet.append(list(COLUMNS))
    sheet.append(example_row(taxonomy, today))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCD", (14, 10, 34, 10), strict=True):
        sheet.column_dimensions[column].width = width
    # Text cells: « 01 » and « 2A » must not become numbers or dates when typed.
    for row in range(2, VALIDATED_ROWS + 2):
        sheet.cell(row, 1).number_format = "@"
        sheet.cell(row, 2).number_format = "@"

    reference = workbook.create_sheet("Référentiel")
    reference.append(["departement", "nom", "", "type_incident", "libelle", "definition"])
    departements = sorted(territories.departements, key=lambda d: d.code)
    types = list(taxonomy.types)
    for i in range(max(len(departements), len(types))):
        row: list[object] = ["", "", ""]
        if i < len(departements):
            row[:2] = [departements[i].code, departements[i].nom]
        if i < len(types):
            row += [types[i].code, types[i].libelle_fr, types[i].description_fr]
        reference.append(row)
    for cell in reference[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABDEF", (12, 28, 34, 40, 80), strict=True):
        reference.column_dimensions[column].width = width

    last = VALIDATED_ROWS + 1
    for column, source, count, title in (
        ("A", "A", len(departements), "Département"),
        ("C", "D", len(types), "Type d'incident"),
    ):
        validation = DataValidation(
            type="list",
            formula1=f"='Référentiel'!${source}$2:${source}${count + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=title,
            error="Choisissez un code de la liste (feuille « Référentiel »).",
        )
        validation.add(f"{column}2:{column}{last}")
        sheet.add_data_validation(validation)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
