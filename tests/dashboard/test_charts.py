"""Unit tests of the dashboard's chart and table builders, i18n and number formatting."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pytest

from dashboard import charts, charts_series, i18n, series, tables
from dashboard.i18n import NARROW_NBSP, format_nombre, t
from observatoire.charts import maps


def make_square(x: float, y: float, size: float = 1.0) -> dict:
    """A clockwise square polygon (Vega's outer-ring convention)."""
    ring = [[x, y], [x, y + size], [x + size, y + size], [x + size, y], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def make_layout() -> dict:
    """A tiny map layout: two mainland départements, one overseas inset, Paris inset."""

    def feature(code: str, nom: str, encart: str | None, x: float, y: float) -> dict:
        props = {"code": code, "nom": nom, "encart": encart}
        return {"type": "Feature", "geometry": make_square(x, y), "properties": props}

    return {
        "type": "FeatureCollection",
        "cadre": [-8.7, 41.2, 9.7, 51.5],
        "encarts": [
            {"nom": "971", "bbox": [-8.6, 47.6, -5.6, 49.0]},
            {"nom": "paris", "bbox": [-5.6, 49.3, -2.4, 51.4]},
        ],
        "projection": {"type": "conicConformal", "parallels": [44, 49], "rotate": [-3, 0, 0]},
        "features": [
            feature("01", "Ain", None, 5.0, 46.0),
            feature("2A", "Corse-du-Sud", None, 8.8, 41.5),
            feature("75", "Paris", None, 2.3, 48.8),
            feature("971", "Guadeloupe", "971", -8.0, 48.0),
            feature("75", "Paris", "paris", -4.5, 50.0),
        ],
    }


def make_departements() -> pd.DataFrame:
    """Départements as `client.fetch_departements` returns them."""
    return pd.DataFrame(
        {
            "code": ["971", "01", "2A", "75"],
            "nom": ["Guadeloupe", "Ain", "Corse-du-Sud", "Paris"],
            "region_code": ["01", "84", "94", "11"],
            "region_nom": ["Guadeloupe", "Auvergne-Rhône-Alpes", "Corse", "Île-de-France"],
            "prefecture": ["Basse-Terre", "Bourg-en-Bresse", "Ajaccio", "Préfecture de police"],
            "population": [384_239, 657_856, 160_814, 2_113_705],
        }
    )


def spec_of(chart: alt.TopLevelMixin | dict) -> dict:
    return chart if isinstance(chart, dict) else chart.to_dict()


def shape_properties(spec: dict) -> list[dict]:
    """The properties of each département shape of a map spec (its TopoJSON geometries)."""
    topology = spec["datasets"][maps.SHAPES_DATASET]
    return [g["properties"] for g in topology["objects"][maps.SHAPES_DATASET]["geometries"]]


def population_map(layout: dict, departements: pd.DataFrame, **kwargs) -> dict:
    values = departements[["code", "population"]].rename(columns={"population": "valeur"})
    return maps.choropleth(layout, values, value_title="Population", **kwargs)


def test_population_map_merges_values_into_each_feature() -> None:
    spec = spec_of(population_map(make_layout(), make_departements()))
    features = shape_properties(spec)
    assert len(features) == 5
    by_code = {props["code"]: props for props in features}
    assert by_code["01"]["valeur"] == 657_856
    assert by_code["75"]["valeur_texte"] == f"2{NARROW_NBSP}113{NARROW_NBSP}705"
    assert by_code["2A"]["nom"] == "Corse-du-Sud"


def test_population_map_uses_the_layout_projection_and_french_locale() -> None:
    spec = spec_of(population_map(make_layout(), make_departements()))
    assert spec["projection"] == {
        "type": "conicConformal",
        "parallels": [44, 49],
        "rotate": [-3, 0, 0],
    }
    assert spec["config"]["locale"]["number"]["thousands"] == NARROW_NBSP
    shapes = spec["layer"][0]
    assert shapes["mark"]["type"] == "geoshape"
    assert shapes["mark"]["stroke"] == "#ffffff"
    color = shapes["encoding"]["color"]
    assert color["condition"]["field"] == "properties.valeur"
    assert color["condition"]["legend"]
    tooltip_fields = [tip["field"] for tip in shapes["encoding"]["tooltip"]]
    assert tooltip_fields == ["properties.nom", "properties.code", "properties.valeur_texte"]


def test_geometry_is_carried_once_as_a_topology_every_layer_reads_by_name() -> None:
    spec = spec_of(population_map(make_layout(), make_departements(), extra={}))
    topology = spec["datasets"][maps.SHAPES_DATASET]
    assert topology["type"] == "Topology"
    assert "coordinates" not in json.dumps(spec["datasets"][maps.SHAPES_DATASET])
    shape_layers = [layer for layer in spec["layer"] if layer["mark"]["type"] == "geoshape"]
    shape_data = {"name": maps.SHAPES_DATASET,
                  "format": {"type": "topojson", "feature": maps.SHAPES_DATASET}}  # fmt: skip
    assert shape_layers[0]["data"] == shape_data
    geometries = topology["objects"][maps.SHAPES_DATASET]["geometries"]
    assert json.dumps(spec).count('"arcs"') == 1 + len(geometries)  # the arcs, then references


def test_views_share_the_topology_arcs_instead_of_copying_them() -> None:
    layout = make_layout()
    topology = maps.map_topology(layout)
    values = pd.DataFrame({"code": ["01"], "valeur": [3]})
    first = maps.choropleth(layout, values, value_title="N", topology=topology)
    second = maps.choropleth(layout, values, value_title="N", lang="en", topology=topology)
    arcs = [spec["datasets"][maps.SHAPES_DATASET]["arcs"] for spec in (first, second)]
    assert arcs[0] is arcs[1] is topology["arcs"]
    assert "valeur" not in topology["objects"]["departements"]["geometries"][0]["properties"]


def test_map_is_drawn_as_svg_in_streamlit_and_vega_embed_alike() -> None:
    # Vega's canvas renderer leaves the hatched (gradient) fill of hidden cells blank.
    spec = spec_of(population_map(make_layout(), make_departements()))
    assert spec["usermeta"] == {"embedOptions": {"renderer": "svg"}}


def test_map_placeholder_says_loading_at_the_map_height() -> None:
    spec = charts.map_placeholder(t("carte.loading", "en"))
    assert spec["height"] == maps.MAP_HEIGHT
    assert spec["data"]["values"] == [{"texte": "Loading the map…"}]
    alt.Chart.from_dict(spec)  # a valid Vega-Lite spec


def test_missing_value_is_grey_and_labelled() -> None:
    values = pd.DataFrame({"code": ["01", "2A"], "valeur": [12, None]})
    chart = maps.choropleth(make_layout(), values, value_title="Signalements")
    spec = spec_of(chart)
    props = {p["code"]: p for p in shape_properties(spec)}
    assert props["2A"]["valeur"] is None
    assert props["2A"]["valeur_texte"] == "non disponible"
    assert props["971"]["valeur"] is None
    assert spec["layer"][0]["encoding"]["color"]["value"] == maps.NO_VALUE_COLOUR


def test_inset_frames_are_closed_lines_named_for_readers() -> None:
    frames = maps.inset_frames(make_layout())
    assert [f["properties"]["libelle"] for f in frames] == [
        "Guadeloupe",
        "Paris et petite couronne",
    ]
    coords = frames[0]["geometry"]["coordinates"]
    assert coords[0] == coords[-1]
    assert len(coords) == 4 * maps.FRAME_STEPS + 1
    english = maps.inset_frames(make_layout(), lang="en")
    assert english[1]["properties"]["libelle"] == "Paris and inner ring"


def test_map_without_insets_has_a_single_layer() -> None:
    layout = make_layout()
    layout["encarts"] = []
    spec = spec_of(population_map(layout, make_departements()))
    assert len(spec["layer"]) == 1


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [2.8, 4.6, 6.4, 8.2]),
        ([76_000, 160_000, 650_000, 2_600_000], [130_000.0, 260_000.0, 550_000.0, 1_400_000.0]),
        ([5, 5, 5, 5], [5.0]),
        ([], []),
    ],
)
def test_nice_breaks_rounds_quantiles_to_two_digits(values, expected) -> None:
    assert maps.nice_breaks(values, 5) == pytest.approx(expected)


def test_departement_stats_table_sorts_by_code_keeps_numbers_and_labels_secrets() -> None:
    frame = pd.DataFrame(
        {
            "code": ["971", "01", "2A"],
            "nom": ["Guadeloupe", "Ain", "Corse-du-Sud"],
            "valeur": [1234, None, 0],
            "secret": [False, True, False],
            "taux_100k": [321.25, None, 0.0],
        }
    )
    styler, config = tables.departement_stats_table(frame)
    assert list(styler.data["Code"]) == ["01", "2A", "971"]
    assert styler.data["Signalements"].dtype == "Float64"
    html = styler.to_html()
    assert f"1{NARROW_NBSP}234" in html
    assert "321,2" in html
    assert "secret statistique" in html
    assert "Fiche" in config
    assert styler.data["Fiche"].iloc[0] == "./prefecture?dep=01"
    english, _ = tables.departement_stats_table(frame, lang="en")
    assert "statistical secret" in english.to_html()
    assert "1,234" in english.to_html()


def test_hidden_cells_are_hatched_labelled_and_in_the_legend() -> None:
    values = pd.DataFrame({"code": ["01", "2A", "75", "971"], "valeur": [120, None, 40, 15]})
    extra = {"2A": {"secret": True, "alerte": False}, "75": {"secret": False, "alerte": True}}
    spec = spec_of(maps.choropleth(make_layout(), values, value_title="N", extra=extra))
    props = {p["code"]: p for p in shape_properties(spec)}
    assert props["2A"]["valeur_texte"] == "secret statistique"
    assert "<" not in json.dumps(spec["datasets"])
    secret_layer = spec["layer"][1]
    assert secret_layer["mark"]["fill"]["gradient"] == "linear"
    assert secret_layer["encoding"]["stroke"]["scale"]["domain"] == ["secret statistique"]
    alert_layer = spec["layer"][2]
    assert alert_layer["mark"]["stroke"] == maps.ALERT_COLOUR
    assert alert_layer["transform"] == [{"filter": "datum.properties.alerte"}]


def test_hatching_alternates_two_greys_with_hard_stops() -> None:
    stops = maps.hatching(3)["stops"]
    assert len(stops) == 12
    assert {s["color"] for s in stops} == {maps.HIDDEN_FILL, maps.HIDDEN_STRIPE}
    assert stops[1]["offset"] == stops[2]["offset"]


def test_series_chart_breaks_lines_at_hidden_points_and_shades_them() -> None:
    frame = pd.DataFrame(
        {
            "periode": ["2024-T1", "2024-T2", "2024-T3"],
            "libelle": ["T1 2024", "T2 2024", "T3 2024"],
            "serie": ["Tous"] * 3,
            "valeur": [120.0, None, 95.0],
            "valeur_texte": ["120", "secret statistique", "95"],
        }
    )
    spec = spec_of(charts_series.series_chart(frame, y_title="N"))
    assert spec["layer"][-1]["mark"]["invalid"] == "break-paths-show-domains"
    band = spec["layer"][0]
    assert band["mark"]["type"] == "bar"
    assert band["encoding"]["fill"]["scale"]["domain"] == ["secret statistique"]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [(100, 125, 0.25), (None, 125, None), (100, None, None), (0, 12, None), (40, 20, -0.5)],
)
def test_year_over_year_change_needs_two_published_values(before, after, expected) -> None:
    assert series.change(before, after) == expected


def test_yoy_table_shows_secret_when_either_year_is_hidden() -> None:
    before = pd.DataFrame({"code": ["01", "02"], "nom": ["Ain", "Aisne"], "valeur": [100, None]})
    after = pd.DataFrame({"code": ["01", "02"], "nom": ["Ain", "Aisne"], "valeur": [150, 40]})
    table = series.yoy_table(before, after, ("2023", "2024"), "fr")
    changes = table["Évolution sur un an"]
    assert changes.iloc[0] == pytest.approx(0.5)
    assert pd.isna(changes.iloc[1])
    assert i18n.format_change(None) == "secret statistique"
    assert i18n.format_change(0.5) == "+50,0\u00a0%"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("2026-11-26T10:00:00+00:00", "fr", "26 novembre 2026"),
        ("2026-11-26", "en", "26 November 2026"),
    ],
)
def test_format_date(value, lang, expected) -> None:
    assert i18n.format_date(value, lang) == expected


@pytest.mark.parametrize(
    ("period", "lang", "expected"),
    [("2024", "fr", "2024"), ("2024-T3", "fr", "T3 2024"), ("2024-T3", "en", "Q3 2024"),
     ("2024-02", "fr", "février 2024"), ("2024-02", "en", "February 2024")],
)  # fmt: skip
def test_format_period(period, lang, expected) -> None:
    assert i18n.format_period(period, lang) == expected


def test_rates_use_a_decimal_comma_in_french() -> None:
    assert i18n.format_rate(12.345, "fr") == "12,3"
    assert i18n.format_rate(1234.5, "en") == "1,234.5"


@pytest.mark.parametrize(
    ("n", "lang", "decimals", "expected"),
    [
        (1234, "fr", 0, f"1{NARROW_NBSP}234"),
        (1234567.5, "fr", 1, f"1{NARROW_NBSP}234{NARROW_NBSP}567,5"),
        (1234, "en", 0, "1,234"),
        (999, "fr", 0, "999"),
        (0, "fr", 0, "0"),
        (None, "fr", 0, "—"),
        (float("nan"), "en", 0, "—"),
    ],
)
def test_format_nombre(n, lang, decimals, expected) -> None:
    assert format_nombre(n, lang, decimals) == expected


def test_every_string_exists_in_french_and_english() -> None:
    for key, entry in i18n.STRINGS.items():
        assert set(entry) == set(i18n.LANGS), key
        assert all(text.strip() for text in entry.values()), key


def test_t_formats_falls_back_to_french_and_refuses_unknown_keys() -> None:
    assert t("page.carte") == "Carte"
    assert t("page.carte", "en") == "Map"
    assert t("page.carte", "de") == "Carte"
    assert "v2" in t("methodo.taxonomy", "fr", version="v2")
    with pytest.raises(KeyError):
        t("no.such.key")


@pytest.mark.parametrize(
    ("value", "expected"), [("en", "en"), ("EN", "en"), ("en-GB", "en"), ("xx", "fr"), (None, "fr")]
)
def test_normalize_lang(value, expected) -> None:
    assert i18n.normalize_lang(value) == expected


def test_the_map_is_as_tall_as_france_at_a_phones_width() -> None:
    from dashboard.charts import MAP_HEIGHT, map_height

    assert map_height(None) == map_height(1280) == MAP_HEIGHT  # unknown, or a wide screen
    assert 400 < map_height(390) < 500  # 358 px wide: France ~265 px, title and legend
    assert map_height(320) < map_height(390) < map_height(640) <= MAP_HEIGHT
