"""The DCAT catalogue validates against the DCAT-AP 3.0.1 SHACL shapes and carries what
data.gouv.fr reads (title, description, keywords, temporal, spatial, frequency, licence)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from observatoire.opendata.catalogue import catalogue, to_turtle
from observatoire.publication.snapshot import PublicationMeta

SHAPES = Path(__file__).parents[2] / "data" / "dcat-ap" / "dcat-ap-3.0.1-SHACL.ttl"
BASE = "https://api.example.org/"
ETALAB = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def make_meta(pub_id: int, up_to: str, *, synthetic: bool = False) -> PublicationMeta:
    """Metadata of a publication covering 2025-01 to `up_to`."""
    return PublicationMeta(
        id=pub_id, publiee_le=f"{up_to}-28T09:00:00+00:00", type_publication="mensuelle",
        premier_mois="2025-01", donnees_jusqu_a=up_to, seuil=11, cellules=1000,
        cellules_secretes=300, associations=4, soumissions=40, synthetique=synthetic,
        taxonomie_version="1",
    )  # fmt: skip


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES)


def _conforms(document: dict, shapes: Graph) -> tuple[bool, str]:
    data = Graph().parse(data=json.dumps(document), format="json-ld")
    conforms, _graph, text = validate(data, shacl_graph=shapes, inference="none")
    return bool(conforms), str(text)


@pytest.mark.parametrize("synthetic", [False, True])
def test_catalogue_conforms_to_dcat_ap(shapes, synthetic):
    metas = [make_meta(3, "2025-03", synthetic=synthetic), make_meta(2, "2025-02"),
             make_meta(1, "2025-01")]  # fmt: skip
    document = catalogue(metas, base_url=BASE, publisher="Association Test")
    conforms, text = _conforms(document, shapes)
    assert conforms, text


def test_the_shapes_do_catch_a_broken_catalogue(shapes):
    document = catalogue([make_meta(1, "2025-01")], base_url=BASE, publisher="X")
    broken = copy.deepcopy(document)
    del broken["dcat:dataset"]["dct:description"]
    del broken["dcat:dataset"]["dcat:distribution"][0]["dcat:accessURL"]
    conforms, text = _conforms(broken, shapes)
    assert not conforms
    assert "description" in text and "accessURL" in text


def test_catalogue_has_the_fields_data_gouv_fr_reads():
    metas = [make_meta(2, "2025-02", synthetic=True), make_meta(1, "2025-01")]
    document = catalogue(metas, base_url=BASE, publisher="Association Test")
    dataset = document["dcat:dataset"]
    assert document["dct:publisher"]["foaf:name"] == "Association Test"
    assert dataset["dct:title"]["@language"] == "fr" and dataset["dct:description"]["@value"]
    assert {k["@value"] for k in dataset["dcat:keyword"]} >= {"ANEF", "données fictives"}
    assert dataset["dct:accrualPeriodicity"]["@id"].endswith("/frequency/MONTHLY")
    assert dataset["dct:spatial"]["@id"].endswith("/country/FRA")
    assert dataset["obs:granularite"] == "fr:departement"
    assert dataset["dct:temporal"]["dcat:startDate"]["@value"] == "2025-01-01"
    assert dataset["dct:temporal"]["dcat:endDate"]["@value"] == "2025-02-28"
    assert dataset["dct:license"]["@id"] == ETALAB
    assert dataset["dct:license"]["dct:identifier"] == "etalab-2.0"
    newest, oldest = dataset["dcat:distribution"]
    assert newest["obs:synthetique"] is True and oldest["obs:synthetique"] is False
    assert newest["dct:title"]["@value"].startswith("[Données fictives]")
    assert "fictives" not in oldest["dct:title"]["@value"]
    assert newest["dcat:downloadURL"]["@id"] == f"{BASE}v1/publications/2/paquet.zip"
    assert newest["dct:conformsTo"]["@id"] == f"{BASE}v1/publications/2/datapackage.json"
    assert newest["dct:license"]["@id"] == ETALAB
    assert newest["dct:temporal"]["dcat:endDate"]["@value"] == "2025-02-28"


def test_turtle_is_the_same_graph():
    document = catalogue([make_meta(1, "2024-12")], base_url=BASE, publisher="X")
    from_jsonld = Graph().parse(data=json.dumps(document), format="json-ld")
    from_turtle = Graph().parse(data=to_turtle(document).decode(), format="turtle")
    assert isomorphic(from_jsonld, from_turtle)
    assert (URIRef(f"{BASE}v1/catalogue"), None, None) in from_turtle


def test_an_empty_catalogue_still_conforms(shapes):
    conforms, text = _conforms(catalogue([], base_url=BASE, publisher="X"), shapes)
    assert conforms, text
