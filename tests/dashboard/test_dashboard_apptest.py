"""Every dashboard page under Streamlit's AppTest, in French and English, against the real API.

The API serves a multi-year fixture publication (`tests.support.published_fixture`), so that
years, quarters, hidden cells and an alert all exist. The scan at the end reads every page's
text, tables and chart data and fails on any count between 1 and k − 1 or a « < k » label.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.support.live_servers import REPO_ROOT, closed_port_url, running_api
from tests.support.published_fixture import SURGE_DEPARTEMENT, prepare_published

# The Streamlit script (`dashboard/app.py` serves it as an `st.App`).
APP = str(REPO_ROOT / "dashboard" / "main.py")
TIMEOUT_S = 90
# The default map as sent (JSON with Streamlit's spacing): ~160 KB; it was 420 KB as GeoJSON.
MAX_SPEC_BYTES = 200_000
K = 11
PAGES = ["carte", "tendances", "prefecture", "alertes", "donnees", "methodologie"]
# Table columns and chart fields that hold counts (not years, codes, rates or shares).
COUNT_COLUMNS = {"Signalements", "Reports", "valeur", "2023", "2024"}
COUNT_FIELDS = {"valeur"}


@pytest.fixture(scope="module")
def api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the real API serving a fixture publication, for this module."""
    with running_api(tmp_path_factory.mktemp("api"), prepare=prepare_published) as url:
        yield url


@pytest.fixture
def live_api(api_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the dashboard at the running API."""
    monkeypatch.setenv("OBSERVATOIRE_API_URL", api_url)
    return api_url


def test_no_pages_directory_beside_the_entry_script() -> None:
    # A `pages/` folder next to the script switches Streamlit to its legacy multipage mode,
    # which fights `st.navigation` (reruns render an empty page under AppTest).
    assert not (REPO_ROOT / "dashboard" / "pages").exists()


def run_app(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def page_script(name: str) -> None:
    import importlib

    from dashboard.client import ApiUnavailable

    module = importlib.import_module(f"dashboard.views.{name}")
    try:
        getattr(module, f"{name}_page")()
    except ApiUnavailable as error:  # shown by main.py in production; a failure here
        raise AssertionError(str(error)) from error


def run_page(name: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_function(page_script, args=(name,), default_timeout=TIMEOUT_S)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]


def dataset_rows(values: list | dict) -> list[dict]:
    """The rows of an inline dataset; for a TopoJSON topology, its geometries."""
    if isinstance(values, dict) and values.get("type") == "Topology":
        return [g for obj in values["objects"].values() for g in obj["geometries"]]
    return list(values)


def map_shapes(spec: dict) -> list[dict]:
    """The properties of each département drawn by a map spec."""
    return [g["properties"] for g in dataset_rows(spec["datasets"]["departements"])]


def chart_rows(el) -> list[dict]:  # type: ignore[no-untyped-def]
    """Every data row of a chart: datasets left in the spec, and those Streamlit sent as Arrow
    (named datasets, and the spec's own `data`)."""
    import pyarrow as pa

    spec = json.loads(el.proto.spec)
    rows = [row for values in spec.get("datasets", {}).values() for row in dataset_rows(values)]
    arrows = [dataset.data.data for dataset in el.proto.datasets]
    if el.proto.HasField("data"):  # the spec's own `data.values`
        arrows.append(el.proto.data.data)
    for arrow in arrows:
        rows += pa.ipc.open_stream(arrow).read_all().to_pandas().to_dict("records")
    return rows


def page_text(at: AppTest) -> str:
    parts = [
        el.value
        for kind in ("title", "markdown", "caption", "info", "warning")
        for el in getattr(at, kind)
    ]
    parts += [str(m.value) for m in at.metric]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_runs_and_names_its_publication(live_api: str, name: str, lang: str) -> None:
    at = run_page(name, {"lang": lang, "dep": SURGE_DEPARTEMENT, "tableau": "true"})
    assert not at.exception, at.exception
    assert not at.error
    text = page_text(at)
    assert ("Publication n° 1" if lang == "fr" else "Publication no. 1") in text
    assert ("15 janvier 2025" if lang == "fr" else "15 January 2025") in text
    assert "Données fictives de démonstration" in text
    assert_nothing_disclosed(at)


def test_carte_defaults_to_the_latest_year_and_marks_hidden_cells(live_api: str) -> None:
    at = run_app({"tableau": "true"})
    assert not at.exception
    assert at.title[0].value == "Signalements par département"
    [spec] = specs(at)
    assert len(json.dumps(spec).encode()) < MAX_SPEC_BYTES
    props = {p["code"]: p for p in map_shapes(spec)}
    assert len(props) == 101
    hidden = [p for p in props.values() if p["secret"]]
    assert hidden, "the fixture hides some départements at year level"
    assert all(p["valeur"] is None and p["valeur_texte"] == "secret statistique" for p in hidden)
    assert props[SURGE_DEPARTEMENT]["alerte"] is True
    assert props["93"]["lien"] == "./prefecture?dep=93"
    share = next(i.value for i in at.info if "Secret statistique" in i.value)
    assert f"{len(hidden)} départements sur 101" in share
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "Code",
        "Département",
        "Signalements",
        "Pour 100 000 hab.",
        "Fiche",
    ]
    assert table["Signalements"].isna().sum() == len(hidden)


def test_carte_table_is_built_only_once_opened(live_api: str) -> None:
    at = run_app()
    assert not at.exception
    [section] = [e for e in at.expander if e.label.startswith("Tableau des départements")]
    assert not at.dataframe, "the closed table must not be sent with the map"
    assert "csv-carte" not in {button.key for button in at.download_button}
    opened = run_app({"tableau": "true"})
    assert len(opened.dataframe) == 1
    assert "csv-carte" in {button.key for button in opened.download_button}
    assert specs(opened) == specs(at), "opening the table must not change the map"


def test_carte_type_filter_changes_the_map_and_the_url(live_api: str) -> None:
    at = run_app()
    before = map_shapes(specs(at)[0])
    at.selectbox(key="url.type").set_value("acces").run()
    assert not at.exception
    assert at.query_params["type"] in ("acces", ["acces"])
    after = map_shapes(specs(at)[0])
    assert [p["valeur"] for p in before] != [p["valeur"] for p in after]


def test_state_comes_from_the_url(live_api: str) -> None:
    at = run_app({"type": "delais", "periode": "2024-T2", "mesure": "taux", "lang": "en"})
    assert not at.exception
    assert at.selectbox(key="url.type").value == "delais"
    assert at.selectbox(key="url.periode").value == "2024-T2"
    legend_title = specs(at)[0]["layer"][0]["encoding"]["color"]["condition"]["title"]
    assert legend_title == "Per 100,000 inhabitants"


def test_prefecture_page_reads_dep_from_the_url(live_api: str) -> None:
    at = run_page("prefecture", {"dep": "2A"})
    assert at.title[0].value == "Corse-du-Sud (2A)"
    surge = run_page("prefecture", {"dep": SURGE_DEPARTEMENT})
    assert any("Alerte" in w.value for w in surge.warning)


def test_tendances_series_have_gaps_not_zeros(live_api: str) -> None:
    # Lozère's monthly counts are small: the fixture hides most of them.
    at = run_page("prefecture", {"dep": "48", "pas": "mois"})
    assert not at.exception
    lines = [s for s in specs(at) if "layer" in s and s["layer"][-1]["mark"]["type"] == "line"]
    assert lines
    for spec in lines:
        assert spec["layer"][-1]["mark"]["invalid"] == "break-paths-show-domains"
    rows = [row for el in at.get("vega_lite_chart") for row in chart_rows(el)]
    hidden = [row for row in rows if row.get("valeur_texte") == "secret statistique"]
    assert hidden, "Lozère's monthly series has hidden points"
    assert all(pd.isna(row["valeur"]) for row in hidden)


def test_methodologie_states_sources_rules_and_coverage(live_api: str) -> None:
    at = run_page("methodologie")
    text = page_text(at)
    for needle in ("Licence Ouverte 2.0", "INSEE", "452798", "11 décembre 2024", "r21-626",
                   "À guichets fermés", "k = 11", "/v1/schema", "5 associations"):  # fmt: skip
        assert needle in text, needle
    (taxonomy,) = [d.value for d in at.dataframe if "Code" in d.value.columns]
    assert "depot_impossible" in set(taxonomy["Code"])


def test_api_down_shows_a_french_error_and_no_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    down = closed_port_url()
    monkeypatch.setenv("OBSERVATOIRE_API_URL", down)
    monkeypatch.setenv("OBSERVATOIRE_CONNECT_TIMEOUT_S", "1")
    at = run_app()
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "momentanément indisponibles" in message
    assert down in message
    assert not at.get("vega_lite_chart")
    assert at.button[0].label == "Réessayer"


def test_api_failing_once_the_map_is_placed_leaves_only_the_error(
    live_api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first run puts a "loading" placeholder where the map goes before asking the API for
    # the map's data; if that fails, the placeholder goes and the error stays.
    from dashboard import loaders
    from dashboard.client import ApiUnavailable

    def unavailable(*args: object) -> None:
        raise ApiUnavailable(live_api + "/v1/statistiques", "delai", "10 s")

    monkeypatch.setattr(loaders, "statistics_frame", unavailable)
    at = run_app()
    assert not at.exception
    assert "momentanément indisponibles" in at.error[0].value
    assert not at.get("vega_lite_chart")


def test_the_map_placeholder_is_for_a_sessions_first_run_only(live_api: str) -> None:
    from dashboard.views.carte import MAP_SHOWN_KEY

    at = run_app()
    assert at.session_state[MAP_SHOWN_KEY] is True
    first = specs(at)
    assert len(first) == 1 and "layer" in first[0], "the placeholder must be replaced"
    assert specs(at.run()) == first


def test_api_error_status_is_reported(monkeypatch: pytest.MonkeyPatch, api_url: str) -> None:
    monkeypatch.setenv("OBSERVATOIRE_API_URL", api_url + "/nowhere")
    at = run_app({"lang": "en"})
    assert not at.exception
    assert "answered with an error (404)" in at.error[0].value


def test_no_publication_yet_is_a_friendly_message(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_api(tmp_path_factory.mktemp("empty")) as url:
        monkeypatch.setenv("OBSERVATOIRE_API_URL", url)
        at = run_app()
        assert not at.exception
        assert not at.error
        assert any("Aucune publication" in i.value for i in at.info)


# --- disclosure scan ------------------------------------------------------------------------

COUNT_TITLES = {"Nombre de signalements", "Number of reports"}


def value_title(spec: dict) -> str | None:
    """The title of the quantitative channel of a map, line or bar chart."""
    for layer in [spec, *spec.get("layer", [])]:
        encoding = layer.get("encoding", {})
        color = encoding.get("color", {})
        for channel in (color.get("condition", {}), encoding.get("y", {}), encoding.get("x", {})):
            if channel.get("type") == "quantitative" or channel.get("field") in (
                "valeur",
                "properties.valeur",
            ):
                return channel.get("title")
    return None


def assert_nothing_disclosed(at: AppTest) -> None:
    """No « < k » anywhere; no count between 1 and k − 1 in tables or chart data."""
    text = page_text(at) + "\n".join(str(d.value) for d in at.dataframe)
    for bad in ("< 11", "<11", "< k", "moins de 11", "fewer than 11"):
        assert bad not in text, bad
    for frame in (d.value for d in at.dataframe):
        for column in frame.columns:
            if str(column) in COUNT_COLUMNS:
                assert_counts_ok(pd.to_numeric(frame[column], errors="coerce"), str(column))
    for el in at.get("vega_lite_chart"):
        if value_title(json.loads(el.proto.spec)) not in COUNT_TITLES:
            continue  # rates per 100,000 are not counts
        for row in chart_rows(el):
            values = row.get("properties", row)
            for field in COUNT_FIELDS & set(values):
                assert_counts_ok(pd.Series([values[field]], dtype="float64"), field)


def assert_counts_ok(values: pd.Series, where: str) -> None:
    small = values[(values >= 1) & (values < K)]
    assert small.empty, f"{where}: published counts below k: {small.tolist()}"


def test_carte_lists_every_departement_as_a_link_and_finds_one(live_api: str) -> None:
    at = run_app()
    [listing] = [e for e in at.expander if e.label.startswith("Départements (")]
    text = "\n".join(m.value for m in listing.markdown)
    assert text.count("](./prefecture?dep=") == 101
    assert "[Seine-Saint-Denis (93) : " in text
    assert "secret statistique](./prefecture?dep=" in text
    at.text_input(key="carte.search").set_value("rhone").run()
    found = "\n".join(m.value for m in at.markdown)
    assert "[Rhône (69) : " in found and "(./prefecture?dep=69)" in found


@pytest.mark.parametrize(
    ("name", "query", "lines"),
    [
        ("prefecture", {"dep": "93", "type": "acces", "pas": "annee"}, 1),
        ("tendances", {"pas": "annee", "mesure": "taux"}, 5),  # « tous » and 4 families
        ("tendances", {"graphique": "types", "famille": "acces", "pas": "mois"}, 6),
    ],
)
def test_embedded_views_are_their_chart_and_source_only(
    live_api: str, name: str, query: dict[str, str], lines: int
) -> None:
    at = run_page(name, {**query, "integre": "1"})
    assert not at.exception
    assert not at.title and not at.subheader and not at.selectbox
    assert not at.get("segmented_control") and not at.get("download_button")
    [chart] = at.get("vega_lite_chart")  # the API's own chart of the view, title and source in it
    assert len({row["serie"] for row in chart_rows(chart)}) == lines
    spec = json.loads(chart.proto.spec)
    assert any(line.startswith("Source") for line in spec["title"]["subtitle"])
    assert "Données fictives" in at.warning[0].value
    [source] = [m.value for m in at.markdown if "Voir sur l'observatoire" in m.value]
    back = source.split("](", 1)[1]
    assert "integre" not in back and all(f"{k}={v}" in back for k, v in query.items())
