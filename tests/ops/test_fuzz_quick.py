"""The quick schemathesis run (`bench/fuzz_api.py --quick`): no 5xx, no schema violation, and
submission bodies generated from the contract (some accepted), not skipped."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "fuzz_api.py"


@pytest.mark.slow
def test_quick_fuzzing_finds_nothing() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "erreurs serveur (5xx) : 0" in result.stdout
    assert "violations (échecs de vérification schemathesis) : 0" in result.stdout
    batches = re.search(
        r"lots soumis \(POST /v1/soumissions\) : (\d+), dont (\d+) acceptés", result.stdout
    )
    assert batches and int(batches[1]) >= 50 and int(batches[2]) >= 1, result.stdout[-3000:]
