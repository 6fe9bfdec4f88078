"""The dashboard's Streamlit script, served by `dashboard/app.py` (`streamlit run` that file).

Wiring only: page config, navigation, language switch, and one place where an unreachable
API becomes a clear message instead of a stack trace. `streamlit run dashboard/main.py` also
works, without the faster serving of Streamlit's browser code that `app.py` adds.
"""

from __future__ import annotations

import streamlit as st

from dashboard.client import ApiUnavailable
from dashboard.espace.page import espace_page
from dashboard.i18n import t
from dashboard.state import current_lang, language_selector
from dashboard.views.alertes import alertes_page
from dashboard.views.carte import carte_page
from dashboard.views.donnees import donnees_page
from dashboard.views.methodologie import methodologie_page
from dashboard.views.prefecture import prefecture_page
from dashboard.views.tendances import tendances_page


def show_api_error(error: ApiUnavailable, lang: str) -> None:
    """Tell the reader, in their language, that the data is unavailable and what to do."""
    reason = t(f"error.{error.reason}", lang, url=error.url, detail=error.detail)
    st.error(
        f"**{t('error.title', lang)}**\n\n{reason}\n\n{t('error.what_to_do', lang)}",
        icon=":material/cloud_off:",
    )
    # Failures are never cached: a rerun asks the API again.
    st.button(t("error.retry", lang), icon=":material/refresh:")


def main() -> None:
    """Configure the page, draw the navigation and run the selected page."""
    st.set_page_config(page_title="Observatoire ANEF", page_icon=":material/map:", layout="wide")
    lang = current_lang()
    pages = [
        st.Page(carte_page, title=t("page.carte", lang), url_path="carte", icon=":material/map:",
                default=True),
        st.Page(tendances_page, title=t("page.tendances", lang), url_path="tendances",
                icon=":material/show_chart:"),
        st.Page(prefecture_page, title=t("page.prefecture", lang), url_path="prefecture",
                icon=":material/account_balance:"),
        st.Page(alertes_page, title=t("page.alertes", lang), url_path="alertes",
                icon=":material/notifications:"),
        st.Page(donnees_page, title=t("page.donnees", lang), url_path="donnees",
                icon=":material/download:"),
        st.Page(methodologie_page, title=t("page.methodologie", lang), url_path="methodologie",
                icon=":material/menu_book:"),
        # Issue #17: the association space (signed-in pages live in dashboard/espace/).
        st.Page(espace_page, title=t("page.espace", lang), url_path="espace",
                icon=":material/upload_file:"),
    ]  # fmt: skip
    page = st.navigation(pages)
    # The page first, the sidebar after: Streamlit sends elements in the order they are
    # created and the browser renders them as they arrive, so the map's element comes before
    # the sidebar's. The sidebar is a separate container: its place on screen is the same.
    try:
        page.run()
    except ApiUnavailable as error:
        show_api_error(error, lang)
    with st.sidebar:
        st.markdown(f"### {t('app.title', lang)}")
        st.caption(t("app.tagline", lang))
        language_selector(t("app.language", lang))


main()
