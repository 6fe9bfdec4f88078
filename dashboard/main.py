"""The dashboard's Streamlit script, served by `dashboard/app.py` (`streamlit run` that file).

Wiring only: page config, navigation, language switch, and one place where an unreachable
API becomes a clear message instead of a stack trace. `streamlit run dashboard/main.py` also
works, without the faster serving of Streamlit's browser code that `app.py` adds.
"""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard.client import ApiUnavailable
from dashboard.espace.page import espace_page
from dashboard.i18n import t
from dashboard.routes import HOME, PUBLIC_PAGES, page_title
from dashboard.state import current_lang, language_selector
from dashboard.views.alertes import alertes_page
from dashboard.views.carte import carte_page
from dashboard.views.donnees import donnees_page
from dashboard.views.embed import is_embedded
from dashboard.views.methodologie import methodologie_page
from dashboard.views.prefecture import prefecture_page
from dashboard.views.tendances import tendances_page

PAGE_FUNCTIONS = {
    "carte": carte_page,
    "tendances": tendances_page,
    "prefecture": prefecture_page,
    "alertes": alertes_page,
    "donnees": donnees_page,
    "methodologie": methodologie_page,
    "espace": espace_page,  # issue #17: the association space (dashboard/espace/)
}


def show_api_error(error: ApiUnavailable, lang: str) -> None:
    """Tell the reader, in their language, that the data is unavailable and what to do."""
    reason = t(f"error.{error.reason}", lang, url=error.url, detail=error.detail)
    st.error(
        f"**{t('error.title', lang)}**\n\n{reason}\n\n{t('error.what_to_do', lang)}",
        icon=":material/cloud_off:",
    )
    # Failures are never cached: a rerun asks the API again.
    st.button(t("error.retry", lang), icon=":material/refresh:")


class AddressedPage(StreamlitPage):
    """A default page that keeps its own address: served at `/` and at `/{url_path}`.

    Streamlit gives the default page the address "" only, so that `/carte`, typed or shared,
    opened its « Page not found » dialog. The browser still shows `/` for it.
    """

    @property
    def url_path(self) -> str:
        return self._url_path


def public_pages(lang: str) -> list[StreamlitPage]:
    """The public pages in menu order (`routes.PUBLIC_PAGES`), the map as default."""
    pages = []
    for route in PUBLIC_PAGES:
        page = st.Page(PAGE_FUNCTIONS[route.path], title=t(route.title_key, lang),
                       url_path=route.path, icon=route.icon, default=route is HOME)  # fmt: skip
        if route is HOME:
            page.__class__ = AddressedPage
        pages.append(page)
    return pages


def main() -> None:
    """Configure the page, draw the navigation and run the selected page."""
    st.set_page_config(page_title=t("app.title"), page_icon=":material/map:", layout="wide")
    lang = current_lang()
    pages = public_pages(lang)
    embedded = is_embedded()
    page = st.navigation(pages, position="hidden" if embedded else "sidebar")
    # Each page its own browser title (`page_head.rewrite` gives the same one before this runs).
    st.set_page_config(page_title=page_title(page.title, lang))
    # The page first, the sidebar after: Streamlit sends elements in the order they are
    # created and the browser renders them as they arrive, so the map's element comes before
    # the sidebar's. The sidebar is a separate container: its place on screen is the same.
    try:
        page.run()
    except ApiUnavailable as error:
        show_api_error(error, lang)
    if embedded:
        return
    with st.sidebar:
        st.markdown(f"### {t('app.title', lang)}")
        st.caption(t("app.tagline", lang))
        language_selector(t("app.language", lang))


main()
