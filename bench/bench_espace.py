"""Association space: a 5,000-row file's preview drawn in the browser ≤ 3 s after its upload.

Usage: .venv/bin/python bench/bench_espace.py [--rows 5000] [--runs 5]

Starts the API (fresh SQLite, one association and its key) and the dashboard on 127.0.0.1,
signs in with headless Debian Chromium, then drops a `--rows`-row CSV on the space's file
picker `--runs` times (each file differs by one number, so every run is a new dry run). The
clock starts when Streamlit's upload request (`PUT /_stcore/upload_file/…`) has been answered,
and stops when the preview is drawn: the summary shows the row count, the rows' grid has
painted its canvas, the file's name is in the preview and Streamlit's run is over. The API's own dry run of the same file
(`POST /v1/soumissions/fichier?dry_run=true`, outside the browser) is printed beside it, to
show how the time splits between the API and the page.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.espace import (  # noqa: E402
    DESKTOP,
    espace_servers,
    launch,
    open_space,
    settle,
    sign_in,
)

TARGET_S = 3.0
MONTHS = ("2026-06", "2026-07", "2026-08", "2026-09")


def big_csv(rows: int, variant: int) -> bytes:
    """`rows` distinct cells as a French spreadsheet exports them (cp1252, `;`)."""
    from observatoire.domain.taxonomy import load_taxonomy
    from observatoire.domain.territories import load_territories

    departements = [d.code for d in load_territories().departements]
    types = load_taxonomy().type_codes
    cells = [(d, m, t) for m in MONTHS for t in types for d in departements]
    if rows > len(cells):
        raise SystemExit(f"at most {len(cells)} distinct rows")
    lines = ["departement;mois;type_incident;nombre"]
    for i, (d, m, t) in enumerate(cells[:rows]):
        lines.append(f"{d};{m};{t};{(i * 7 + (variant if i == 0 else 0)) % 50}")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def api_dry_run_s(api_url: str, key: str, content: bytes) -> float:
    """Seconds for the API's dry run of `content` alone."""
    start = time.perf_counter()
    response = httpx.post(
        f"{api_url}/v1/soumissions/fichier?dry_run=true",
        headers={"Authorization": f"Bearer {key}"},
        files={"fichier": ("bench.csv", content, "text/csv")},
        timeout=120,
    )
    response.raise_for_status()
    return time.perf_counter() - start


def preview_s(page, content: bytes, rows: int, name: str) -> float:  # type: ignore[no-untyped-def]
    """Seconds from the end of the upload to the drawn preview."""
    heading = f"Lignes comprises ({rows:,})".replace(",", "\u202f")
    with page.expect_response(
        lambda r: "/_stcore/upload_file/" in r.url and r.request.method == "PUT", timeout=120_000
    ):
        page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
        )
    start = time.perf_counter()
    page.get_by_text(heading).wait_for(timeout=120_000)
    page.get_by_text(f"« {name} »").first.wait_for(timeout=120_000)
    page.locator("[data-testid='stDataFrame'] canvas").first.wait_for(timeout=120_000)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=120_000)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    files = [big_csv(args.rows, variant) for variant in range(args.runs + 1)]
    with (
        tempfile.TemporaryDirectory() as workdir,
        espace_servers(Path(workdir)) as (url, api_url, keys),
        sync_playwright() as playwright,
    ):
        browser = launch(playwright)
        page = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
        open_space(page, url)
        sign_in(page, keys.main)
        api = [api_dry_run_s(api_url, keys.main, f) for f in files[:3]]
        # The first drop warms the page's code paths; it is reported apart.
        first = preview_s(page, files[0], args.rows, "bench-0.csv")
        times = []
        for i, content in enumerate(files[1:], start=1):
            times.append(preview_s(page, content, args.rows, f"bench-{i}.csv"))
            settle(page)
        browser.close()
    median = statistics.median(times)
    print(f"file: {args.rows} rows, {len(files[0]) / 1024:.0f} KB (cp1252, ;)")
    print(f"API dry run alone (median of 3): {statistics.median(api):.2f} s")
    print(f"first preview: {first:.2f} s")
    print(f"preview drawn after upload, median of {len(times)}: {median:.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}); target <= {TARGET_S:.1f} s: "
          f"{'OK' if median <= TARGET_S else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
