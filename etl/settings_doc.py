"""The configuration table of the README, generated from the settings classes."""

from __future__ import annotations

import re
from pathlib import Path

from api.settings import ApiSettings
from dashboard.settings import DashboardSettings
from observatoire.loading.table import LoaderSettings
from observatoire.settings import REPO_ROOT, Settings

BEGIN = "<!-- settings:begin -->"
END = "<!-- settings:end -->"
SECTIONS = [
    ("Cœur (API et CLI)", Settings, ""),
    ("API", ApiSettings, ""),
    ("Chargement de fichiers", LoaderSettings, ""),
    ("Tableau de bord", DashboardSettings, "OBSERVATOIRE_"),
]


def settings_table() -> str:
    """Markdown tables of every setting: environment variable, default, description."""
    seen: set[str] = set()
    parts: list[str] = []
    for title, cls, prefix in SECTIONS:
        lines = [f"**{title}**", "", "| Variable | Défaut | Rôle |", "|---|---|---|"]
        for name, field in cls.model_fields.items():
            env = f"{prefix}{name.upper()}"
            if env in seen:
                continue
            seen.add(env)
            default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
            if isinstance(default, Path):
                default = default.relative_to(REPO_ROOT) if default.is_absolute() else default
            shown = "—" if default is None else f"`{default}`"
            lines.append(f"| `{env}` | {shown} | {field.description} |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def update_readme(path: Path = REPO_ROOT / "README.md") -> bool:
    """Rewrite the generated block of the README; True when it changed."""
    text = path.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{settings_table()}\n{END}"
    new = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), block, text, flags=re.S)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    print("README mis à jour" if update_readme() else "README déjà à jour")
