"""The quick schemathesis run (`bench/fuzz_api.py --quick`): no 5xx, no schema violation."""

from __future__ import annotations

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
