"""What changed, in French sentences a journalist can quote (numbers included)."""

from __future__ import annotations

from observatoire.domain.periods import period_level
from observatoire.opendata.changes import NOW_HIDDEN, NOW_PUBLISHED, REVISED, Changes, NewPeriod
from observatoire.opendata.tables import LEVELS

# Beyond this many new periods (a first publication), one sentence per time step instead.
MAX_PERIOD_SENTENCES = 4
STEP_WORDS = {"mois": ("mois", "mois"), "trimestre": ("trimestre", "trimestres"),
              "annee": ("année", "années")}  # fmt: skip
LEVEL_WORDS = {
    "departement": ("départementale", "départementales"),
    "region": ("régionale", "régionales"),
    "france": ("nationale", "nationales"),
}


KIND_WORDS = {"initiale": "initiale", "mensuelle": "mensuelle", "consolidee": "consolidée"}
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")  # fmt: skip


def french_date(timestamp: str) -> str:
    """« 15 janvier 2025 » from an ISO date or timestamp."""
    year, month, day = int(timestamp[:4]), int(timestamp[5:7]), int(timestamp[8:10])
    return f"{'1er' if day == 1 else day} {MONTHS[month - 1]} {year}"


def number(n: int) -> str:
    """French thousands separator (a narrow no-break space, as the dashboard): 12 345."""
    return f"{n:,}".replace(",", "\u202f")


def plural(n: int, one: str, many: str) -> str:
    """« 1 valeur », « 0 valeur », « 12 valeurs » (French: 0 and 1 take the singular)."""
    return f"{number(n)} {one if n < 2 else many}"


def _values_by_level(publiees: dict[str, int]) -> str:
    dep, reg, nat = (publiees[level] for level in LEVELS)
    if dep == 0 and reg:  # a month: the plan publishes the départements by quarter and year
        first = plural(reg, "nouvelle valeur régionale", "nouvelles valeurs régionales")
        return f"{first} et {number(nat)} {LEVEL_WORDS['france'][nat >= 2]}"
    first = plural(dep, "nouvelle valeur départementale", "nouvelles valeurs départementales")
    return f"{first}, {number(reg)} {LEVEL_WORDS['region'][reg >= 2]} et " + (
        f"{number(nat)} {LEVEL_WORDS['france'][nat >= 2]}"
    )


def _hidden(secretes: dict[str, int]) -> str:
    total = sum(secretes.values())
    return plural(total, "cellule masquée", "cellules masquées") + " par le secret statistique"


def period_sentence(entry: NewPeriod) -> str:
    """« 2026-10 : 1 234 nouvelles valeurs départementales, … »."""
    text = f"{entry.periode} : {_values_by_level(entry.publiees)} ({_hidden(entry.secretes)})"
    if entry.total_france is not None:
        text += f" ; {plural(entry.total_france, 'signalement', 'signalements')} en France"
    return text + "."


def steps_sentence(entries: list[NewPeriod]) -> str:
    """One sentence for many new periods (a first publication)."""
    parts = []
    for step, (one, many) in STEP_WORDS.items():
        periods = [e.periode for e in entries if period_level(e.periode) == step]
        if periods:
            span = f" ({periods[0]} à {periods[-1]})" if len(periods) > 1 else f" ({periods[0]})"
            parts.append(f"{number(len(periods))} {one if len(periods) < 2 else many}{span}")
    publiees = {level: sum(e.publiees[level] for e in entries) for level in LEVELS}
    secretes = {level: sum(e.secretes[level] for e in entries) for level in LEVELS}
    return (
        f"Nouvelles périodes : {', '.join(parts)} ; {_values_by_level(publiees)} "
        f"({_hidden(secretes)})."
    )


def summary(changes: Changes) -> list[str]:
    """The sentences of the « Nouveau dans cette publication » section, most important first."""
    after, before = changes.after, changes.before
    kind = KIND_WORDS.get(after.type_publication, after.type_publication)
    head = f"Publication n° {after.id} ({kind}, publiée le {french_date(after.publiee_le)}, "
    head += f"données jusqu'à {after.donnees_jusqu_a})"
    if before is None:
        out = [f"{head} : première publication, de {after.premier_mois} à {after.donnees_jusqu_a}."]
    else:
        out = [f"{head}, comparée à la publication n° {before.id} (données jusqu'à "
               f"{before.donnees_jusqu_a})."]  # fmt: skip
    entries = changes.new_periods
    if not entries:
        out.append("Aucune nouvelle période.")
    elif len(entries) > MAX_PERIOD_SENTENCES:
        out.append(steps_sentence(entries))
    else:
        out += [period_sentence(e) for e in entries]
    if before is None:
        return out
    revised = changes.count(REVISED)
    if revised:
        counts = {lv: changes.count(REVISED, lv) for lv in LEVELS}
        by_level = ", ".join(f"{number(n)} {LEVEL_WORDS[lv][n >= 2]}" for lv, n in counts.items())
        out.append(
            plural(
                revised,
                "valeur déjà publiée a été révisée",
                "valeurs déjà publiées ont été révisées",
            )
            + f" ({by_level})."
        )
    published, hidden = changes.count(NOW_PUBLISHED), changes.count(NOW_HIDDEN)
    if published:
        out.append(
            plural(published, "cellule auparavant masquée est désormais publiée",
                   "cellules auparavant masquées sont désormais publiées") + "."
        )  # fmt: skip
    if hidden:
        out.append(
            plural(hidden, "cellule publiée auparavant est désormais masquée",
                   "cellules publiées auparavant sont désormais masquées")
            + f" ; leur valeur reste celle de la publication n° {before.id}."
        )  # fmt: skip
    if not (revised or published or hidden):
        out.append("Aucune valeur déjà publiée n'a changé.")
    if changes.removed_periods:
        out.append(f"Périodes retirées : {', '.join(changes.removed_periods)}.")
    return out
