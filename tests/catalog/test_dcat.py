"""The DCAT-AP 3.0 export: conformant to the official SHACL shapes in every format, and
never carrying a resource the public may not see (core, important, unpublished, not open)."""

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from shuzheng.catalog.models import DataResource

SHAPES = Graph().parse(Path(__file__).parent / "shapes" / "dcat-ap-3.0.0-SHACL.ttl")
PARSERS = {"ttl": "turtle", "xml": "xml", "jsonld": "json-ld"}
HIDDEN = ["nx-household-population", "nx-surveying-results", "nx-work-safety-licences"]

pytestmark = pytest.mark.django_db


def fetch(client, path, suffix):
    response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return Graph().parse(data=response.content, format=PARSERS[suffix])


def assert_conforms(graph):
    conforms, _graph, text = validate(graph, shacl_graph=SHAPES, inference="rdfs")
    assert conforms, text


@pytest.mark.parametrize("suffix", ["ttl", "xml", "jsonld"])
def test_catalog_conforms_and_lists_only_public_datasets(client, sample_catalog, suffix):
    graph = fetch(client, f"/catalog.{suffix}", suffix)
    assert_conforms(graph)
    identifiers = {
        str(graph.value(d, DCTERMS.identifier)) for d in graph.subjects(RDF.type, DCAT.Dataset)
    }
    public = set(DataResource.objects.open_to_public().values_list("code", flat=True))
    assert identifiers == public and len(public) == 10
    for name in HIDDEN:
        code = DataResource.objects.get(name=name).code
        assert code not in identifiers
    hidden_titles = DataResource.objects.filter(name__in=HIDDEN).values_list("title", flat=True)
    text = response_text(client, f"/catalog.{suffix}")
    assert not any(title in text for title in hidden_titles)


def response_text(client, path):
    return client.get(path).content.decode()


@pytest.mark.parametrize("suffix", ["ttl", "xml", "jsonld"])
def test_dataset_conforms_with_a_downloadable_distribution(client, sample_catalog, suffix):
    resource = DataResource.objects.get(name="nx-a-level-scenic-spots")
    graph = fetch(client, f"/dataset/{resource.pk}.{suffix}", suffix)
    assert_conforms(graph)
    dataset = URIRef(f"http://testserver/dataset/{resource.pk}")
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    (distribution,) = graph.objects(dataset, DCAT.distribution)
    download = graph.value(distribution, DCAT.downloadURL)
    answer = client.get(str(download).removeprefix("http://testserver"))
    assert answer.status_code == 200
    assert "示例".encode() in b"".join(answer.streaming_content)


def test_conditionally_open_data_is_listed_but_not_downloadable(client, sample_catalog):
    resource = DataResource.objects.get(name="nx-farm-produce-prices")
    graph = fetch(client, f"/dataset/{resource.pk}.ttl", "ttl")
    assert_conforms(graph)
    assert not list(graph.objects(None, DCAT.downloadURL))


@pytest.mark.parametrize("name", HIDDEN)
def test_hidden_datasets_are_not_found(client, sample_catalog, name):
    resource = DataResource.objects.get(name=name)
    for path in (
        f"/dataset/{resource.pk}",
        f"/dataset/{resource.pk}.ttl",
        f"/dataset/{resource.pk}.jsonld",
    ):
        assert client.get(path).status_code == 404
    for distribution in resource.distributions.all():
        url = f"/dataset/{resource.pk}/resource/{distribution.pk}/download"
        assert client.get(url).status_code == 404


def test_a_core_dataset_s_file_is_never_downloadable(client, sample_catalog):
    """Even with a distribution, a core-grade resource's file is a 404."""
    from django.core.files.base import ContentFile

    from shuzheng.catalog import services
    from shuzheng.catalog.choices import DistributionKind

    resource = DataResource.objects.get(name="nx-household-population")
    distribution = services.add_distribution(
        actor=None,
        resource=resource,
        data=services.DistributionInput(
            title="户籍人口（CSV）",
            kind=DistributionKind.FILE,
            format="CSV",
            media_type="text/csv",
            upload=ContentFile("姓名\n示例\n".encode(), name="core.csv"),
        ),
    )
    assert (
        client.get(f"/dataset/{resource.pk}/resource/{distribution.pk}/download").status_code == 404
    )
    assert "户籍人口（CSV）" not in response_text(client, "/catalog.ttl")


def test_the_iris_see_other_to_the_accepted_format(client, sample_catalog):
    resource = DataResource.objects.get(name="nx-schools")
    response = client.get(f"/dataset/{resource.pk}", HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 303 and response["Location"].endswith(f"{resource.pk}.jsonld")
    response = client.get("/catalog", HTTP_ACCEPT="text/html")
    assert response.status_code == 303 and response["Location"].endswith("/catalog.ttl")
