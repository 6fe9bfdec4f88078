"""Time from navigation to a drawn map: this dashboard vs a static vega-embed page.

Usage: .venv/bin/python bench/bench_dashboard.py [--runs 9]

Starts the API (fixture publication, years of data) and the dashboard on 127.0.0.1, takes the
exact Vega-Lite spec the dashboard sends for its default view (the page run under Streamlit's
AppTest), and serves it in a static HTML page drawn by vega-embed (the practical limit), at
the width the dashboard gives its map. vega, vega-lite and vega-embed come from the npm
registry (`npm pack`, cached in `.cache/vega-js`; no CDN at run time). Headless Debian
Chromium loads each page in a fresh context; "drawn" is tested the same way on both pages
(the map's SVG holds the départements' paths). The first visit to a fresh dashboard server is
reported apart ("cold"), with the time to Streamlit's interactive map beside it: the browser
navigates as soon as the server answers its health check (`/_stcore/health`), with no warm-up
call from the launcher; the server's own warm-up (`dashboard/warm_up.py`), started with it,
may still be running then, and the API, started first, has drawn its default views' images
(`api/routes/images.py`, `warm`). `--cold-only` stops there. Then `--runs` warm visits alternate with
the static page, and medians and their ratio are printed, with where the time went (from the
page's own performance timeline): page code run (DOMContentLoaded), websocket about to open
(Streamlit's `host-config` answered), chart code loaded (Vega's chunk), map drawn. The
dashboard's map page first shows the API's server-drawn SVG of its view (`dashboard/
first_map.py`); it counts as drawn when it holds the départements' paths and their links.
Both sizes, desktop (1400 × 1000) and phone (390 × 844), are measured in the same run, each
against a static page drawing the map at the width Streamlit gives it at that size.

A third page, Streamlit's floor (`bench/floor/`), alternates with them: the same spec drawn
by Streamlit's own chart element, served the same way, on a page holding nothing else. No
arrangement of the dashboard's page can draw its map sooner than that page does.
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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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
# Drawn: the chart's SVG holds the 100+ paths of the départements (the spec asks for SVG), or
# its canvas, shrunk to 64 × 64, has at least 5 % of coloured (neither blank nor white) pixels.
# The dashboard's server-drawn first map (`dashboard/first_map.py`) counts when it holds the
# départements' paths and their links (a reader can read it and follow them).
DRAWN_JS = """() => {
  const first = document.querySelector("#premiere-carte svg");
  if (first && first.querySelectorAll("path").length > 100
      && first.querySelectorAll("a").length > 90) return true;
  const chart = document.querySelector("[data-testid='stVegaLiteChart']");
  if (!chart) return false;
  const canvas = chart.querySelector("canvas");
  if (canvas) {
    if (canvas.width < 100 || canvas.height < 100) return false;
    const probe = document.createElement("canvas");
    probe.width = probe.height = 64;
    const context = probe.getContext("2d");
    context.drawImage(canvas, 0, 0, 64, 64);
    const px = context.getImageData(0, 0, 64, 64).data;
    let coloured = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] > 128 && Math.min(px[i], px[i + 1], px[i + 2]) < 235) coloured++;
    }
    return coloured > 0.05 * 64 * 64;
  }
  return chart.querySelectorAll("svg path").length > 100;
}"""
# The same test, noting when (page clock) it first held, for the breakdown.
# The server-drawn map is painted with the page: its time is when it was parsed (an inline
# script right after it notes it) or the first contentful paint, whichever is later; a poll
# from here could only run once Streamlit's code, executing meanwhile, lets it.
DRAWN_AT_JS = f"""() => {{
  const drawn = ({DRAWN_JS})();
  if (drawn && window.__drawnAt === undefined) {{
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    window.__drawnAt = document.querySelector("#premiere-carte svg") && paint
      && window.__premiereCarte !== undefined
      ? Math.max(window.__premiereCarte, paint.startTime) : performance.now();
  }}
  return drawn;
}}"""
# Milestones of a load in ms since navigation, from the page's performance timeline.
PHASES_JS = """() => {
  // Vega's code: Streamlit's chart chunks, or the static page's three scripts.
  const CHART_CODE = /^(embed|ArrowVegaLiteChart)\\..*\\.js$|^vega.*\\.min\\.js$/;
  const nav = performance.getEntriesByType("navigation")[0];
  const ends = (test) => performance.getEntriesByType("resource")
    .filter((e) => test(e.name.split("/").pop())).map((e) => e.responseEnd);
  const last = (values) => values.length ? Math.max(...values) : null;
  return {
    "code run": nav.domContentLoadedEventEnd,
    "websocket": last(ends((n) => n === "host-config")),
    "chart code": last(ends((n) => CHART_CODE.test(n))),
    "drawn": window.__drawnAt,
  };
}"""
# Streamlit's own, interactive map drawn (the server-drawn one is then removed).
INTERACTIVE_JS = """() => {
  const drawn = document.querySelectorAll(
    "[data-testid='stVegaLiteChart'] svg path[aria-label]").length > 100;
  if (drawn && window.__interactiveAt === undefined) window.__interactiveAt = performance.now();
  return drawn;
}"""
WIDTH_JS = f"""() => (document.querySelector("{CHART}")
  || document.querySelector("#premiere-carte svg")).getBoundingClientRect().width"""
SIZES = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
TIMEOUT_MS = 120_000
FLOOR = "map only"
# Seconds to a drawn map, the map's width in pixels, milestones (s since navigation).
Visit = tuple[float, float, dict[str, float]]


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


def dashboard_spec(api_url: str) -> str:
    """The map spec (JSON, as sent over the websocket) of the dashboard's default view."""
    import os

    from streamlit.testing.v1 import AppTest

    os.environ["OBSERVATOIRE_API_URL"] = api_url
    at = AppTest.from_file(str(ROOT / "dashboard" / "main.py"), default_timeout=120).run()
    [chart] = at.get("vega_lite_chart")
    return chart.proto.spec


def write_static_page(folder: Path, spec: str, width: float) -> None:
    """index.html drawing `spec` with vega-embed, `width` pixels wide (renderer: the spec's)."""
    for name, path in vega_scripts().items():
        (folder / f"{name}.min.js").write_bytes(path.read_bytes())
    sized = {**json.loads(spec), "width": "container"}
    (folder / "index.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'>"
        + "".join(f"<script src='{n}.min.js'></script>" for n in PACKAGES)
        + f"</head><body><div id='vis' data-testid='stVegaLiteChart' style='width:{width}px'>"
        + f"</div><script>vegaEmbed('#vis', {json.dumps(sized)}, "
        + "{actions: false})</script></body></html>",
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


def time_to_map(browser, url: str, size: str = "desktop") -> Visit:  # type: ignore[no-untyped-def]
    """Seconds from navigation to a painted map, in a fresh browser context of `size`; the
    map's width and the load's milestones (`PHASES_JS`, in seconds; those not reached left
    out)."""
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(DRAWN_AT_JS, timeout=TIMEOUT_MS, polling=20)
    elapsed = time.perf_counter() - start
    width = page.evaluate(WIDTH_JS)
    phases = {k: v / 1000 for k, v in page.evaluate(PHASES_JS).items() if v is not None}
    context.close()
    # The page's own clock, from navigation to drawn, the same way for every page.
    return phases.get("drawn", elapsed), width, phases


def cold_visit(browser, url: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """The first visit of the fresh dashboard server (desktop): seconds from navigation to a
    drawn map (as `time_to_map`), and to Streamlit's interactive map."""
    context = browser.new_context(viewport=SIZES["desktop"])
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(DRAWN_AT_JS, timeout=TIMEOUT_MS, polling=20)
    page.wait_for_function(INTERACTIVE_JS, timeout=TIMEOUT_MS, polling=20)
    drawn, interactive = page.evaluate("() => [window.__drawnAt, window.__interactiveAt]")
    context.close()
    return drawn / 1000, interactive / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--cold-only", action="store_true", help="only the first visit")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        with (
            running_api(workdir, prepare=prepare_published) as api_url,
            running_dashboard(workdir, api_url, warm=False) as dashboard_url,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            # First visitor of a fresh server, as soon as it says it is up.
            cold = cold_visit(browser, dashboard_url)
            if args.cold_only:
                print(cold_line(cold))
                return
            spec = dashboard_spec(api_url)
            print(f"map spec: {len(spec.encode()) / 1000:.0f} kB as sent")
            results: dict[str, list[float]] = {}
            phases: dict[str, list[dict[str, float]]] = {}
            servers = []
            with running_floor(workdir, api_url, spec) as floor_url:
                for size in SIZES:
                    _, width, _ = time_to_map(browser, floor_url, size)  # Streamlit's own width
                    static = workdir / f"static-{size}"
                    static.mkdir()
                    write_static_page(static, spec, width)
                    server, static_url = serve_static(static)
                    servers.append(server)
                    print(f"{size}: map {width:.0f} px wide")
                    urls = {"dashboard": dashboard_url, FLOOR: floor_url,
                            "vega-embed": static_url}  # fmt: skip
                    time_to_map(browser, static_url, size)  # the static server's first answer
                    for name in urls:
                        results[f"{name} {size}"] = []
                        phases[f"{name} {size}"] = []
                    for _ in range(args.runs):
                        for name, url in urls.items():
                            elapsed, _, milestones = time_to_map(browser, url, size)
                            results[f"{name} {size}"].append(elapsed)
                            phases[f"{name} {size}"].append(milestones)
            browser.close()
            for server in servers:
                server.shutdown()
    report(cold, results, phases)


def cold_line(cold: tuple[float, float]) -> str:
    """The first visit's times, with what they include."""
    drawn, interactive = cold
    return (f"{'cold':>18}: {drawn:.2f} s, interactive map {interactive:.2f} s  (first visit "
            "once the fresh dashboard server answers /_stcore/health, its own warm-up started "
            "with it; target ≤ 3 s)")  # fmt: skip


def report(
    cold: tuple[float, float],
    results: dict[str, list[float]],
    phases: dict[str, list[dict[str, float]]],
) -> None:
    """Medians, milestones and ratios to the static page, per size; the cold visit apart."""
    medians = {k: statistics.median(v) for k, v in results.items()}
    print(cold_line(cold))
    for name, values in results.items():
        runs = ", ".join(f"{v:.2f}" for v in values)
        print(f"{name:>18}: median {medians[name]:.2f} s  ({runs})")
        print(f"{'':>18}  {breakdown(phases[name])}")
    for size in SIZES:
        static_s = medians[f"vega-embed {size}"]
        ratio = medians[f"dashboard {size}"] / static_s
        floor = medians[f"{FLOOR} {size}"] / static_s
        print(f"ratio dashboard / vega-embed, {size}: {ratio:.2f}×  (target ≤ 1.5×)")
        print(f"ratio {FLOOR} / vega-embed, {size}: {floor:.2f}×  (Streamlit's floor)")


@contextmanager
def running_floor(workdir: Path, api_url: str, spec: str) -> Iterator[str]:
    """`bench/floor/app.py` drawing `spec`, started as the dashboard is (its options: the
    dashboard's `.streamlit` folder, linked); yields its URL."""
    (workdir / "floor-spec.json").write_text(spec, encoding="utf-8")
    env = {"OBSERVATOIRE_FLOOR_SPEC": str(workdir / "floor-spec.json")}
    app = ROOT / "bench" / "floor" / "app.py"
    with running_dashboard(workdir, api_url, warm=False, app=app, env=env) as url:
        yield url


def breakdown(runs: list[dict[str, float]]) -> str:
    """Median time (s since navigation) of each milestone reached in every run."""
    names = [k for k in runs[0] if all(k in run for run in runs)]
    return ", ".join(f"{k} {statistics.median(run[k] for run in runs):.2f}" for k in names)


if __name__ == "__main__":
    main()
