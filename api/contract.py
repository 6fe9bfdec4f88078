"""The committed OpenAPI contract: the served document (`api/openapi_doc.py`) as a file.

`make contract` (`python -m api.contract > contract/openapi.json`) regenerates the file;
`tests/api/test_contract.py` fails when the served document drifts from it.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from observatoire.settings import REPO_ROOT

CONTRACT_FILE = REPO_ROOT / "contract" / "openapi.json"
REGENERATE = "make contract"


def render(document: dict[str, Any]) -> str:
    """The committed form: indented JSON, UTF-8, a final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    """Print the document of an app built with neutral settings (no database is opened)."""
    from api.main import create_app
    from api.settings import ApiSettings

    app = create_app(ApiSettings(environment="development", database_url="sqlite://"))
    sys.stdout.write(render(app.openapi()))


if __name__ == "__main__":
    main()
