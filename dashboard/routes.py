"""The dashboard's addresses: one per page, shared by the navigation and the HTML rewrite.

`main.py` builds its `st.Page`s from `PUBLIC_PAGES`; `page_head.py` uses the same table to
give the first HTML answer its title and to answer an unknown address with a page in the
reader's language instead of Streamlit's dialog. Sections added to the navigation (the
association space) list their addresses in `OTHER_PREFIXES`, or under a known prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.i18n import DEFAULT_LANG, normalize_lang, t


@dataclass(frozen=True)
class Route:
    """A page's address (`url_path`, "" for none), its title's string key and icon."""

    path: str
    title_key: str
    icon: str


# The map comes first: it is also served at the root, `/` (`main.AddressedPage`).
PUBLIC_PAGES: tuple[Route, ...] = (
    Route("carte", "page.carte", ":material/map:"),
    Route("tendances", "page.tendances", ":material/show_chart:"),
    Route("prefecture", "page.prefecture", ":material/account_balance:"),
    Route("alertes", "page.alertes", ":material/notifications:"),
    Route("donnees", "page.donnees", ":material/download:"),
    Route("methodologie", "page.methodologie", ":material/menu_book:"),
    Route("espace", "page.espace", ":material/upload_file:"),
)
HOME = PUBLIC_PAGES[0]
# Addresses served by pages outside `PUBLIC_PAGES` (any path starting with one of these).
OTHER_PREFIXES: tuple[str, ...] = ("espace", "association")


def route_for(path: str) -> Route | None:
    """The public page at URL path `path` (`/`, `/carte`, `/carte/`), or None."""
    name = path.strip("/")
    if not name:
        return HOME
    return next((route for route in PUBLIC_PAGES if route.path == name), None)


def is_known(path: str) -> bool:
    """True when `path` is a page of the dashboard (public or another section's)."""
    name = path.strip("/")
    return route_for(path) is not None or any(name.startswith(p) for p in OTHER_PREFIXES)


def page_title(title: str, lang: str = DEFAULT_LANG) -> str:
    """A browser tab's title: the page's, then the site's (« Carte · Observatoire ANEF »)."""
    return f"{title} · {t('app.title', normalize_lang(lang))}"
