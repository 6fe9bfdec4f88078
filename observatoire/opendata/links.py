"""Public addresses of the open-data resources, built from the API's base URL (one home)."""

from __future__ import annotations


def api_root(base_url: str) -> str:
    """The base URL without its trailing slash."""
    return base_url.rstrip("/")


def catalogue_url(base_url: str) -> str:
    """The DCAT catalogue (JSON-LD)."""
    return f"{api_root(base_url)}/v1/catalogue"


def feed_url(base_url: str) -> str:
    """The Atom feed of publications."""
    return f"{api_root(base_url)}/v1/publications.atom"


def publication_url(base_url: str, pub_id: int) -> str:
    """Metadata of one publication."""
    return f"{api_root(base_url)}/v1/publications/{pub_id}"


def package_url(base_url: str, pub_id: int) -> str:
    """The whole-publication package (zip)."""
    return f"{publication_url(base_url, pub_id)}/paquet.zip"


def descriptor_url(base_url: str, pub_id: int) -> str:
    """The package's `datapackage.json` (its Table Schemas), alone."""
    return f"{publication_url(base_url, pub_id)}/datapackage.json"


def changes_url(base_url: str, pub_id: int) -> str:
    """What the publication changed since the one before."""
    return f"{publication_url(base_url, pub_id)}/changements"
