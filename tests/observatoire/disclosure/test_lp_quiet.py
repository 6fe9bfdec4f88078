"""The LP solver prints nothing on the command line tools' standard output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_highs_banner_is_not_printed_and_our_output_is_kept():
    code = (
        "from observatoire.disclosure.lp import quiet_highs\n"
        "print('before', flush=True)\n"
        "h = quiet_highs()\n"
        "print('between')\n"
        "quiet_highs()\n"
        "print('after', h.getOptionValue('output_flag')[1])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.splitlines() == ["before", "between", "after False"]
    assert "HiGHS" not in out.stderr
