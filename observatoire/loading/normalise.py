"""Cell values as associations type them, turned into canonical submission values.

Each `x_to_y` function returns the canonical value or raises `CellError` with a French reason.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from unidecode import unidecode

from observatoire.domain.taxonomy import Taxonomy
from observatoire.domain.territories import Territories

FIELDS = ("departement", "mois", "type_incident", "nombre")


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason shown to the association."""


def text_to_key(text: object) -> str:
    """Lower-case ASCII words separated by one space (`Type d'incident` → `type d incident`)."""
    ascii_text = unidecode(str(text)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


# Small words dropped from headers and names: `Type d'incident` = `type incident`.
_STOPWORDS = {"d", "de", "du", "des", "l", "la", "le", "les", "en", "et"}
_HEADER_ALIASES = {
    "departement": [
        "departement",
        "dept",
        "dep",
        "dpt",
        "code departement",
        "departement code",
        "nom departement",
        "code dep",
        "numero departement",
        "code insee departement",
    ],
    "mois": ["mois", "periode", "mois annee", "date", "mois reference", "annee mois"],
    "type_incident": [
        "type incident",
        "type",
        "incident",
        "code type incident",
        "type signalement",
        "categorie",
        "categorie incident",
    ],
    "nombre": [
        "nombre",
        "nb",
        "nbre",
        "nombre signalements",
        "nb signalements",
        "nombre incidents",
        "nb incidents",
        "effectif",
        "valeur",
        "signalements",
    ],
}


def _strip_stopwords(key: str) -> str:
    return " ".join(w for w in key.split() if w not in _STOPWORDS)


_HEADER_INDEX = {
    _strip_stopwords(alias): name for name, aliases in _HEADER_ALIASES.items() for alias in aliases
}
TOTAL_KEYS = {"total", "total general", "totaux", "somme", "ensemble"}


def header_to_field(header: object) -> str | None:
    """The submission field a column header names (`Département` → `departement`), or None."""
    if header is None:
        return None
    return _HEADER_INDEX.get(_strip_stopwords(text_to_key(header)))


def is_total(value: object) -> bool:
    """Whether a header or a row label is a total (`Total`, `Total général`…)."""
    return value is not None and text_to_key(value) in TOTAL_KEYS


_SAINTS = {"saint": "st", "sainte": "ste"}


def _name_key(name: str) -> str:
    words = [_SAINTS.get(w, w) for w in text_to_key(name).split()]
    return "".join(w for w in words if w not in _STOPWORDS)


@dataclass
class DepartementIndex:
    """Départements looked up by code, by name or by `code - nom`."""

    codes: set[str]
    by_name: dict[str, set[str]] = field(default_factory=dict)

    def add_name(self, name: str, code: str) -> None:
        """Register a name (any spelling) for a code."""
        self.by_name.setdefault(_name_key(name), set()).add(code)


@lru_cache(maxsize=8)
def departement_index(territories: Territories) -> DepartementIndex:
    """An index of the départements of `territories` (cached)."""
    index = DepartementIndex(codes={d.code for d in territories.departements})
    for d in territories.departements:
        index.add_name(d.nom, d.code)
    # A bare "Corse" names two départements since 1976: refuse it rather than guess.
    index.add_name("Corse", "2A")
    index.add_name("Corse", "2B")
    return index


def _code_of(text: str, index: DepartementIndex) -> str | None:
    candidate = text.strip().upper()
    if re.fullmatch(r"\d{1,3}(\.0+)?", candidate):  # 1 → 01, and 93.0 from a spreadsheet
        candidate = candidate.split(".")[0]
        candidate = candidate.zfill(2) if len(candidate) < 3 else candidate
    return candidate if candidate in index.codes else None


def _name_of(text: str, index: DepartementIndex) -> str | None:
    codes = index.by_name.get(_name_key(text))
    if codes is None:
        return None
    if len(codes) > 1:
        raise CellError(
            f"département ambigu « {text} » : peut désigner {' ou '.join(sorted(codes))} ; "
            "indiquez le code"
        )
    return next(iter(codes))


def value_to_departement(value: object, territories: Territories) -> str:
    """A département code from a code (`93`, `2a`, `1`), a name or `93 - Seine-Saint-Denis`."""
    if value is None or str(value).strip() == "":
        raise CellError("département manquant")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    index = departement_index(territories)
    if code := _code_of(text, index):
        return code
    if name_code := _name_of(text, index):
        return name_code
    if match := re.fullmatch(r"(\w{1,3})\s*[-–—:]\s*(.+)", text):
        code, name = _code_of(match.group(1), index), _name_of(match.group(2), index)
        if code and name and code != name:
            raise CellError(
                f"code {match.group(1)} et nom « {match.group(2)} » désignent "
                f"deux départements différents ({code} et {name})"
            )
        if code and name:
            return code
    if text.strip() == "20":
        raise CellError("le code 20 n'existe plus : indiquez 2A (Corse-du-Sud) ou 2B (Haute-Corse)")
    hint = difflib.get_close_matches(_name_key(text), list(index.by_name), n=1, cutoff=0.8)
    suggestion = ""
    if hint:
        (code,) = index.by_name[hint[0]] if len(index.by_name[hint[0]]) == 1 else (None,)
        nom = {d.code: d.nom for d in territories.departements}.get(code or "")
        suggestion = f" (vouliez-vous dire {code} {nom} ?)" if nom else ""
    raise CellError(f"département inconnu « {text} »{suggestion}")


_MONTH_NAMES = (
    "janvier janv jan",
    "fevrier fevr fev",
    "mars mar",
    "avril avr",
    "mai",
    "juin",
    "juillet juil",
    "aout",
    "septembre sept sep",
    "octobre oct",
    "novembre nov",
    "decembre dec",
)
_MONTHS_FR = {name: i for i, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_FR_MONTH = re.compile(r"(\d{1,2})[/.-](\d{4})")
_FR_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_NAMED_MONTH = re.compile(r"([a-z]+)\.?[ -]?(\d{4}|\d{2})")


def _month(year: int, month: int, day: int = 1) -> str:
    try:
        date(year, month, day)
    except ValueError:
        raise CellError("date impossible") from None
    return f"{year:04d}-{month:02d}"


def value_to_month(value: object) -> str:
    """`YYYY-MM` from `2025-03`, `03/2025`, `mars 2025`, `mars-25`, `2025-03-01`, `01/03/2025`
    or a spreadsheet date cell."""
    if isinstance(value, datetime | date):
        return _month(value.year, value.month)
    if value is None or str(value).strip() == "":
        raise CellError("mois manquant")
    text = str(value).strip()
    try:
        if m := _ISO_MONTH.fullmatch(text):
            return _month(int(m.group(1)), int(m.group(2)))
        if m := _ISO_DATE.fullmatch(text):
            return _month(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _FR_MONTH.fullmatch(text):
            return _month(int(m.group(2)), int(m.group(1)))
        if m := _FR_DATE.fullmatch(text):
            return _month(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if (m := _NAMED_MONTH.fullmatch(text_to_key(text).replace(" ", ""))) or (
            m := _NAMED_MONTH.fullmatch(unidecode(text).lower().strip())
        ):
            month = _MONTHS_FR.get(m.group(1))
            year = int(m.group(2)) + (2000 if len(m.group(2)) == 2 else 0)
            if month:
                return _month(year, month)
    except CellError:
        pass
    raise CellError(
        f"mois illisible « {text} » : attendu AAAA-MM (ex. 2025-03), MM/AAAA ou « mars 2025 »"
    )


_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\t'")


def value_to_count(value: object) -> int:
    """A non-negative integer from `12`, `1 234` (any kind of space), or a numeric cell."""
    if isinstance(value, bool):
        raise CellError(f"nombre illisible « {value} »")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"nombre décimal « {value:g} » : un nombre entier est attendu")
        number = int(value)
    else:
        text = "" if value is None else str(value).strip()
        if text.isdigit() and text.isascii():  # the common case, kept fast
            return int(text)
        if text == "":
            raise CellError("nombre manquant")
        compact = text.translate(_SPACES)
        if re.fullmatch(r"[-+−]?\d+", compact):
            number = int(compact.replace("−", "-"))
        elif re.fullmatch(r"[-+−]?\d+[.,]\d+", compact):
            raise CellError(f"nombre décimal « {text} » : un nombre entier est attendu")
        else:
            raise CellError(f"nombre illisible « {text} » : un nombre entier est attendu")
    if number < 0:
        raise CellError(f"nombre négatif « {value} » : un comptage est positif ou nul")
    return number


def value_to_type(value: object, taxonomy: Taxonomy) -> str:
    """An incident type code from its code or its French label, in any case or accents."""
    if value is None or str(value).strip() == "":
        raise CellError("type d'incident manquant")
    code = type_index(taxonomy).get(text_to_key(value))
    if code is None:
        raise CellError(f"type d'incident inconnu « {value} » (voir GET /v1/types-incident)")
    return code


@lru_cache(maxsize=8)
def type_index(taxonomy: Taxonomy) -> dict[str, str]:
    """Incident type codes by normalised code and normalised French label."""
    index: dict[str, str] = {}
    for t in taxonomy.types:
        index[text_to_key(t.code)] = t.code
        index[text_to_key(t.libelle_fr)] = t.code
    return index


def header_to_type(header: object, taxonomy: Taxonomy) -> str | None:
    """The incident type a wide-layout column names, or None."""
    if header is None:
        return None
    return type_index(taxonomy).get(text_to_key(header))


def header_to_month(header: object) -> str | None:
    """The month a wide-layout column names, or None."""
    if header is None or (isinstance(header, int | float) and not isinstance(header, bool)):
        return None
    try:
        return value_to_month(header)
    except CellError:
        return None
