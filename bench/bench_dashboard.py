"""Time from navigation to a drawn map: this dashboard vs a static vega-embed page.

Usage: .venv/bin/python bench/bench_dashboard.py [--runs 5]

Starts the API (fixture publication, years of data) and the dashboard on 127.0.0.1, builds the
same Vega-Lite map spec the dashboard sends, and serves it in a static HTML page drawn by
vega-embed (the practical limit). vega, vega-lite and vega-embed come from the npm registry
(`npm pack`, cached in `.cache/vega-js`; no CDN at run time). Headless Debian Chromium loads
each page `--runs` times in a fresh context; medians and their ratio are printed.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard import charts  # noqa: E402
from tests.support.live_servers import running_api, running_dashboard  # noqa: E402
from tests.support.published_fixture import prepare_published  # noqa: E402

CACHE = ROOT / ".cache" / "vega-js"
PACKAGES = {
    "vega": ("vega@6", "build/vega.min.js"),
    "vega-lite": ("vega-lite@6.4.1", "build/vega-lite.min.js"),
    "vega-embed": ("vega-embed@7", "build/vega-embed.min.js"),
}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update"]  # fmt: skip
CHART = "[data-testid='stVegaLiteChart']"
# Drawn: a painted canvas, or an SVG holding the 101 départements (Streamlit picks the renderer).
DRAWN_JS = """() => {
  const chart = document.querySelector("[data-testid='stVegaLiteChart']");
  if (!chart) return false;
  const canvas = chart.querySelector("canvas");
  if (canvas) return canvas.width > 100 && canvas.height > 100;
  return chart.querySelectorAll("svg path").length > 100;
}"""
TIMEOUT_MS = 120_000


def vega_scripts() -> dict[str, Path]:
    """The three minified builds, fetched once with `npm pack` into the cache."""
    CACHE.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, (spec, member) in PACKAGES.items():
        target = CACHE / f"{name}.min.js"
        if not target.exists():
            tgz = subprocess.run(  # noqa: S603
                ["npm", "pack", spec, "--silent"],  # noqa: S607
                cwd=CACHE, check=True, capture_output=True, text=True,
            ).stdout.split()[-1]  # fmt: skip
            with tarfile.open(CACHE / tgz) as archive:
                data = archive.extractfile(f"package/{member}")
                assert data is not None
                target.write_bytes(data.read())
        out[name] = target
    return out


def map_spec(api_url: str) -> dict:
    """The dashboard's default map (latest year, all types), built from the API's data."""
    layout = httpx.get(f"{api_url}/v1/carte", timeout=30).json()
    stats = httpx.get(f"{api_url}/v1/statistiques", timeout=30).json()["data"]
    import pandas as pd

    values = pd.DataFrame(stats)[["code", "valeur"]]
    extra = {r["code"]: {"secret": r["secret"], "alerte": False} for r in stats}
    chart = charts.choropleth(layout, values, value_title="Nombre de signalements", extra=extra)
    return chart.to_dict()


def write_static_page(folder: Path, spec: dict) -> None:
    """index.html drawing `spec` with vega-embed, with the same canvas renderer."""
    for name, path in vega_scripts().items():
        (folder / f"{name}.min.js").write_bytes(path.read_bytes())
    (folder / "index.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'>"
        + "".join(f"<script src='{n}.min.js'></script>" for n in PACKAGES)
        + "</head><body><div id='vis' data-testid='stVegaLiteChart' style='width:900px'></div>"
        + f"<script>vegaEmbed('#vis', {json.dumps(spec)}, {{renderer: 'canvas', actions: false}})"
        + "</script></body></html>",
        encoding="utf-8",
    )


def serve_static(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/index.html"


def time_to_map(browser, url: str) -> float:  # type: ignore[no-untyped-def]
    """Seconds from navigation to a painted map canvas, in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(DRAWN_JS, timeout=TIMEOUT_MS, polling=20)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        with (
            running_api(workdir, prepare=prepare_published) as api_url,
            running_dashboard(workdir, api_url) as dashboard_url,
        ):
            spec = map_spec(api_url)
            static = workdir / "static"
            static.mkdir()
            write_static_page(static, spec)
            server, static_url = serve_static(static)
            print(f"map spec: {len(json.dumps(spec)) / 1000:.0f} kB")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                time_to_map(browser, dashboard_url)  # warm the caches (API, spec)
                results: dict[str, list[float]] = {"dashboard": [], "vega-embed": []}
                for _ in range(args.runs):
                    results["dashboard"].append(time_to_map(browser, dashboard_url))
                    results["vega-embed"].append(time_to_map(browser, static_url))
                browser.close()
            server.shutdown()
    medians = {k: statistics.median(v) for k, v in results.items()}
    for name, values in results.items():
        runs = ", ".join(f"{v:.2f}" for v in values)
        print(f"{name:>10}: median {medians[name]:.2f} s  ({runs})")
    print(f"ratio dashboard / vega-embed: {medians['dashboard'] / medians['vega-embed']:.2f}×")


if __name__ == "__main__":
    main()
