"""An Atom feed of publications (RFC 4287), so newsrooms and portals learn of each new one."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from observatoire.opendata import links
from observatoire.opendata.summary import KIND_WORDS
from observatoire.publication.snapshot import PublicationMeta

ATOM = "http://www.w3.org/2005/Atom"


def rfc3339(timestamp: str) -> str:
    """An ISO timestamp with a time zone (stored naive timestamps are UTC)."""
    has_zone = timestamp.endswith("Z") or "+" in timestamp[10:] or "-" in timestamp[10:]
    return timestamp if has_zone else f"{timestamp}Z"


def entry_title(meta: PublicationMeta) -> str:
    """« Publication n° 5 (mensuelle) : données jusqu'à 2026-10 »."""
    kind = KIND_WORDS.get(meta.type_publication, meta.type_publication)
    title = f"Publication n° {meta.id} ({kind}) : données jusqu'à {meta.donnees_jusqu_a}"
    return f"{title} — données fictives" if meta.synthetique else title


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def _link(parent: ET.Element, href: str, rel: str, media: str, title: str = "") -> None:
    attrs = {"href": href, "rel": rel, "type": media}
    if title:
        attrs["title"] = title
    ET.SubElement(parent, f"{{{ATOM}}}link", attrs)


def atom_feed(metas: list[PublicationMeta], *, base_url: str, publisher: str) -> bytes:
    """The feed, newest publication first."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "fr"})
    _text(feed, "id", links.feed_url(base_url))
    _text(feed, "title", "Observatoire ANEF — publications")
    _text(feed, "subtitle", "Chaque publication des statistiques anonymisées des défaillances "
          "de l'ANEF, avec son paquet de données et ce qui a changé.")  # fmt: skip
    updated = rfc3339(metas[0].publiee_le) if metas else "1970-01-01T00:00:00Z"
    _text(feed, "updated", updated)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", publisher)
    _link(feed, links.feed_url(base_url), "self", "application/atom+xml")
    _link(feed, links.catalogue_url(base_url), "related", "application/ld+json", "Catalogue DCAT")
    _text(feed, "rights", "Licence Ouverte / Open Licence version 2.0 (etalab-2.0)")
    for meta in metas:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", links.publication_url(base_url, meta.id))
        _text(entry, "title", entry_title(meta))
        _text(entry, "published", rfc3339(meta.publiee_le))
        _text(entry, "updated", rfc3339(meta.publiee_le))
        _link(entry, links.publication_url(base_url, meta.id), "alternate", "application/json")
        _link(entry, links.package_url(base_url, meta.id), "enclosure", "application/zip",
              "Paquet de données complet")  # fmt: skip
        _link(entry, links.changes_url(base_url, meta.id), "related", "application/json",
              "Nouveau dans cette publication")  # fmt: skip
        if meta.synthetique:
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": "synthetique",
                          "label": "Données fictives de démonstration"})  # fmt: skip
        summary = (
            f"Données de {meta.premier_mois} à {meta.donnees_jusqu_a} ; seuil du secret "
            f"statistique k = {meta.seuil} ; {meta.cellules_secretes} cellules masquées sur "
            f"{meta.cellules} ; {meta.associations} association(s)."
        )
        if meta.synthetique:
            summary = "Données fictives de démonstration. " + summary
        _text(entry, "summary", summary)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
