"""Reference tables of départements and régions from the INSEE COG.

The source is the npm package ``@etalab/decoupage-administratif`` at a pinned
version, fetched with ``npm pack`` (an ordinary registry client) into a cache.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
from collections import Counter
from pathlib import Path
from typing import Any

NPM_PACKAGE = "@etalab/decoupage-administratif"
NPM_VERSION = "6.0.0"
# Pinned so that a republished tarball (or a compromised mirror) cannot change the data silently.
NPM_SHA256 = "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"

OVERSEAS = ("971", "972", "973", "974", "976")
# The 96 mainland codes plus the five DROM; "20" disappeared in 1976, 975+ are collectivités.
EXPECTED_CODES: tuple[str, ...] = tuple(
    sorted(
        [f"{i:02d}" for i in range(1, 96) if i != 20] + ["2A", "2B", *OVERSEAS],
    )
)

# COG "type de nom en clair" (TNCC) -> the preposition + article used after "Préfecture".
_TNCC_PREFIX = {
    0: "de ",
    1: "d'",
    2: "du ",
    3: "de la ",
    4: "des ",
    5: "de l'",
    6: "des ",
    7: "de las ",
    8: "de los ",
}
# Residence permits for Paris are not handled by a "Préfecture de Paris".
_PREFECTURE_OVERRIDES = {"75": "Préfecture de police"}


def tarball_name(version: str = NPM_VERSION) -> str:
    """Return the file name ``npm pack`` gives the pinned tarball."""
    return f"etalab-decoupage-administratif-{version}.tgz"


def fetch_npm_package(cache_dir: Path, version: str = NPM_VERSION) -> Path:
    """Download (once) and unpack the pinned npm package; return its ``package`` directory."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    tarball = cache_dir / tarball_name(version)
    if not tarball.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is required to fetch " + NPM_PACKAGE)
        subprocess.run(  # noqa: S603 - fixed argv, no shell
            [npm, "pack", f"{NPM_PACKAGE}@{version}", "--pack-destination", str(cache_dir)],
            check=True,
            capture_output=True,
        )
    if version == NPM_VERSION:
        digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
        if digest != NPM_SHA256:
            raise RuntimeError(f"{tarball} has sha256 {digest}, expected {NPM_SHA256}")
    target = cache_dir / f"decoupage-administratif-{version}"
    package = target / "package"
    if not (package / "data" / "departements.json").exists():
        with tarfile.open(tarball) as tar:
            tar.extractall(target, filter="data")
    return package


def load_json(package: Path, name: str) -> list[dict[str, Any]]:
    """Read one ``data/<name>.json`` file of the npm package."""
    return json.loads((package / "data" / f"{name}.json").read_text(encoding="utf-8"))


def prefecture_name(code: str, nom: str, tncc: int) -> str:
    """Return the French name of the prefecture competent for residence permits."""
    if code in _PREFECTURE_OVERRIDES:
        return _PREFECTURE_OVERRIDES[code]
    for article in ("La ", "Le ", "Les "):
        # COG keeps the article inside some names ("La Réunion", TNCC 0): lower-case it.
        if tncc == 0 and nom.startswith(article):
            return f"Préfecture de {article.lower()}{nom[len(article) :]}"
    return f"Préfecture {_TNCC_PREFIX[tncc]}{nom}"


def departement_populations(communes: list[dict[str, Any]]) -> Counter[str]:
    """Sum legal populations per département over current communes only."""
    totals: Counter[str] = Counter()
    for commune in communes:
        # Arrondissements municipaux (Paris, Lyon, Marseille) repeat their commune's
        # population, and communes déléguées/associées repeat their parent's.
        if commune["type"] == "commune-actuelle":
            totals[commune["departement"]] += int(commune.get("population") or 0)
    return totals


def build_reference(package: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the (départements, régions) reference tables, sorted by code."""
    communes = load_json(package, "communes")
    names = {c["code"]: c["nom"] for c in communes if c["type"] == "commune-actuelle"}
    regions_src = {r["code"]: r for r in load_json(package, "regions")}
    populations = departement_populations(communes)
    departements = []
    for dep in load_json(package, "departements"):
        if dep["code"] not in EXPECTED_CODES:
            continue
        region = regions_src[dep["region"]]
        departements.append(
            {
                "code": dep["code"],
                "nom": dep["nom"],
                "region_code": region["code"],
                "region_nom": region["nom"],
                "prefecture": prefecture_name(dep["code"], dep["nom"], dep["typeLiaison"]),
                "chef_lieu": names[dep["chefLieu"]],
                "population": populations[dep["code"]],
            }
        )
    departements.sort(key=lambda d: d["code"])
    found = [d["code"] for d in departements]
    if tuple(found) != EXPECTED_CODES:
        raise ValueError(
            f"unexpected département codes: {sorted(set(found) ^ set(EXPECTED_CODES))}"
        )
    regions = []
    for code in sorted({d["region_code"] for d in departements}):
        members = [d for d in departements if d["region_code"] == code]
        regions.append(
            {
                "code": code,
                "nom": regions_src[code]["nom"],
                "departements": [d["code"] for d in members],
                "population": sum(d["population"] for d in members),
            }
        )
    return departements, regions
