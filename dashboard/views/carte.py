"""Page « Carte »: the map of départements for one type and period, its table and alerts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, client, loaders
from dashboard.client import ApiUnavailable, query_path
from dashboard.i18n import format_nombre, format_period, format_share, t
from dashboard.state import current_lang, page_link, screen_width
from dashboard.tables import departement_stats_table
from dashboard.views.carte_access import departement_list, departement_search, map_description
from dashboard.views.common import (
    chart_exports,
    downloads,
    incident_kind,
    measure_filter,
    measure_value,
    period_filter,
    period_value,
    publication_header,
    type_filter,
    type_value,
)
from dashboard.views.embed import embed_section, embed_source, is_embedded

TABLE_PARAM = "tableau"
# Set once this session has drawn the map (its next runs need no placeholder).
MAP_SHOWN_KEY = "carte.map_shown"


def carte_page() -> None:
    """Reports (or rate) per département, hidden cells shown as such, with alerts beside.

    Ordered for a fast first map (`bench/bench_dashboard.py`): Streamlit sends elements in
    the order they are created, and the browser loads and starts a chart's code only once a
    chart's element has arrived. So the map's place comes first, in a session's first run
    with a placeholder chart (`charts.map_placeholder`) that gets that code going while the
    server prepares the map; then the map; the heading and filters above it are filled in
    afterwards, in a container reserved at the top. The filters' values come from the URL,
    which their widgets show once drawn.
    """
    lang = current_lang()
    pub = client.fetch_latest_publication()
    if pub is None:
        st.title(t("carte.heading", lang))
        publication_header(lang)  # says that nothing is published yet
        return
    # On a phone the filters move below the map (`assets/head.css`), so that the title, the
    # search and the map make the first screen.
    header = st.container()
    filters = st.container()
    map_column, side = st.columns([3, 1])
    # A session's first run shows a placeholder where the map goes while preparing it, then
    # replaces it. Later runs keep the drawn map until the new one replaces it (Streamlit
    # dims it meanwhile): neither a spinner nor `st.empty` there, which made the browser
    # redraw an unchanged map.
    first = not st.session_state.get(MAP_SHOWN_KEY)
    slot = map_column
    height = charts.map_height(screen_width())
    if first:
        placeholder = charts.map_placeholder(t("carte.loading", lang), height)
        slot = map_column.vega_lite_chart(placeholder, width="stretch")
    try:
        type_ = type_value(lang, pub, "departement")
        kind = incident_kind(type_)
        periode, mesure = period_value(pub, "departement", kind), measure_value()
        frame = loaders.statistics_frame(pub["id"], type_, periode)
        alerts = loaders.alert_codes(pub, type_, kind)
        description = map_description(frame, pub, type_, periode, mesure, lang)
        spec = loaders.map_spec(client.api_url(), pub["id"], type_, periode, mesure, lang)
    except ApiUnavailable:
        if first:
            slot.empty()  # no "loading" map beside the error message
        raise
    slot.vega_lite_chart({**spec, "height": height}, width="stretch")
    st.session_state[MAP_SHOWN_KEY] = True
    view = {"type": type_, "periode": periode, "mesure": mesure}
    with map_column:
        st.caption(f"{description} {t('carte.insets', lang)}")
        if is_embedded():
            embed_source("carte", view, pub, lang)
        departement_list(frame, lang)
    if is_embedded():
        with header:
            if pub.get("synthetique"):
                st.warning(t("pub.synthetic", lang), icon=":material/science:")
        return
    with header:
        st.title(t("carte.heading", lang))
        publication_header(lang)
        departement_search(frame, lang)
    with filters:
        st.markdown(t("carte.intro", lang))
        left, middle, right = st.columns([2, 1, 1])
        with left:
            type_filter(lang, pub, "departement")
        with middle:
            period_filter(pub, lang, "departement", kind)
        with right:
            measure_filter(lang)
    hidden = int(frame["secret"].sum())
    with side:
        st.info(
            t(
                "carte.share_hidden",
                lang,
                n=hidden,
                total=len(frame),
                share=format_share(hidden / max(len(frame), 1), lang),
            ),
            icon=":material/visibility_off:",
        )
        alert_list(alerts, lang)

    def image(fmt: str) -> str:
        return loaders.map_image_path(pub["id"], type_, periode, mesure, lang, fmt)

    chart_exports(image, f"carte-{type_}-{periode}-{mesure}", lang)
    embed_section("carte", view, lang, image, t("carte.heading", lang))
    table_section(frame, pub["id"], type_, periode, lang)


def table_section(
    frame: pd.DataFrame, publication: int, type_: str, periode: str, lang: str
) -> None:
    """The sortable table and the data downloads, built only while expanded (`?tableau=true`).

    Closed by default: the table grid's code (~1.5 MB in the browser) and the download buttons
    would otherwise load and run while the map is being drawn, about a second on the benchmark
    machine (`bench/bench_dashboard.py`). Opening it reruns the page with the same map spec,
    so the map is not redrawn.
    """
    label = t("carte.table_expander", lang)
    with st.expander(label, key=TABLE_PARAM, bind="query-params") as section:
        if not section.open:
            return
        st.caption(t("carte.table_help", lang))
        table, config = departement_stats_table(frame, lang)
        st.dataframe(table, hide_index=True, width="stretch", column_config=config)
        path = query_path(
            "/v1/statistiques", niveau="departement", type=type_, periode=periode,
            publication=publication,
        )  # fmt: skip
        downloads(path, f"observatoire-anef-{type_}-{periode}", lang, geojson=True, key="carte")


def alert_list(alerts: dict[str, dict], lang: str) -> None:
    """The départements in alert, each linking to its page."""
    if not alerts:
        st.caption(t("carte.alerts_none", lang))
        return
    periode = format_period(next(iter(alerts.values()))["periode"], lang)
    st.markdown(f"**{t('carte.alerts_heading', lang, periode=periode)}**")
    lines = [
        f"- [{row['nom']} ({code})]({page_link('prefecture', lang, dep=code)}) — "
        f"{format_nombre(row['valeur'], lang)}"
        for code, row in alerts.items()
    ]
    st.markdown("\n".join(lines))
    st.caption(t("carte.alerts_outline", lang))
