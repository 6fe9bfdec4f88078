"""Query parameters shared by the public routes, each with the bounds the OpenAPI document
states (so that no value reaches the database or the engine unbounded)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

# Publication ids are 32-bit integers in both databases.
MAX_ID = 2**31 - 1
# Longest incident code of the taxonomy is 23 characters; territory codes are ≤ 3.
MAX_CODE_LENGTH = 40

PublicationParam = Annotated[
    int | None,
    Query(description="Numéro de publication (défaut : la plus récente).", ge=1, le=MAX_ID),
]
TypeParam = Annotated[
    str,
    Query(
        description="Code de type, code de famille, ou « tous ».",
        min_length=1,
        max_length=MAX_CODE_LENGTH,
    ),
]
TerritoireParam = Annotated[
    str,
    Query(
        description="Code du territoire (département `93`, `2A`, `974` ; région `11`), "
        "ou FR pour la France.",
        min_length=1,
        max_length=8,
    ),
]
PeriodeParam = Annotated[
    str | None,
    Query(
        description="AAAA, AAAA-Tn ou AAAA-MM (défaut : dernière année publiée).",
        min_length=4,
        max_length=7,
    ),
]
