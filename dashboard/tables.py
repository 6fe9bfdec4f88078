"""Table builders: data in, display-ready table out (the accessible alternative to charts)."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from dashboard.i18n import format_nombre, t


def departement_table(departements: pd.DataFrame, lang: str = "fr") -> Styler:
    """Départements with région, préfecture and population, sorted by code.

    Numbers stay numeric (so that sorting by a column is numeric) and are displayed
    the local way through the styler.
    """
    columns = {
        "code": t("col.code", lang),
        "nom": t("col.departement", lang),
        "region_nom": t("col.region", lang),
        "prefecture": t("col.prefecture", lang),
        "population": t("col.population", lang),
    }
    table = (
        departements[list(columns)]
        .sort_values("code", key=lambda codes: codes.str.zfill(3))
        .rename(columns=columns)
        .reset_index(drop=True)
    )
    return table.style.format(lambda n: format_nombre(n, lang), subset=[t("col.population", lang)])
