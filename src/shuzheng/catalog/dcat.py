"""The catalog as DCAT-AP 3.0 (rdflib): the public catalog and one public dataset, as
Turtle, RDF/XML or JSON-LD.

Only what ``DataResource.objects.open_to_public()`` admits is ever in a graph (core and
important data never; ``catalog.grading`` decides). The mapping:

* the platform's catalog → ``dcat:Catalog`` with a title, description and publisher;
* a resource → ``dcat:Dataset``: ``code`` → ``dct:identifier``, ``title`` / ``summary`` →
  ``dct:title`` / ``dct:description`` (``@zh``), ``keywords`` → ``dcat:keyword``,
  ``provider`` → ``dct:publisher`` (a ``foaf:Agent``), ``update_frequency`` →
  ``dct:accrualPeriodicity`` (the EU frequency vocabulary), release and modification times
  → ``dct:issued`` / ``dct:modified``;
* a distribution → ``dcat:Distribution``: ``dcat:accessURL`` (its link, its download, or the
  dataset when the data is released on application), ``dcat:downloadURL`` for openly
  downloadable files, ``dct:format`` (the EU file-type vocabulary), ``dcat:mediaType`` (IANA),
  ``dcat:byteSize`` and ``dct:license``.

The output is checked against the official DCAT-AP 3.0.0 SHACL shapes in the tests.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from shuzheng.catalog.choices import DistributionKind, UpdateFrequency
from shuzheng.catalog.models import DataResource, Distribution

#: The formats a DCAT document is offered in: suffix → (rdflib format, media type).
FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "xml": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}

FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
IANA = Namespace("https://www.iana.org/assignments/media-types/")

_FREQUENCIES = {
    UpdateFrequency.REALTIME: FREQUENCY.UPDATE_CONT,
    UpdateFrequency.DAILY: FREQUENCY.DAILY,
    UpdateFrequency.WEEKLY: FREQUENCY.WEEKLY,
    UpdateFrequency.MONTHLY: FREQUENCY.MONTHLY,
    UpdateFrequency.QUARTERLY: FREQUENCY.QUARTERLY,
    UpdateFrequency.HALF_YEARLY: FREQUENCY.ANNUAL_2,
    UpdateFrequency.YEARLY: FREQUENCY.ANNUAL,
    UpdateFrequency.IRREGULAR: FREQUENCY.IRREG,
}
#: The licences the catalog names by id, as the documents they are.
LICENSES = {
    "cc-by-4.0": URIRef("https://creativecommons.org/licenses/by/4.0/"),
    "cc-by-sa-4.0": URIRef("https://creativecommons.org/licenses/by-sa/4.0/"),
    "cc0-1.0": URIRef("https://creativecommons.org/publicdomain/zero/1.0/"),
}


def public_resources():
    return (
        DataResource.objects.open_to_public()
        .select_related("provider")
        .prefetch_related("distributions")
    )


def catalog_graph(request) -> Graph:
    """The public catalog: every public dataset with its distributions."""
    graph = _graph()
    catalog = URIRef(request.build_absolute_uri(reverse("catalog_dcat:catalog")))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    for language in ("zh-hans", "en"):
        with translation.override(language):
            tag = "zh" if language == "zh-hans" else "en"
            graph.add((catalog, DCTERMS.title, Literal(_("Open government data"), lang=tag)))
            graph.add(
                (
                    catalog,
                    DCTERMS.description,
                    Literal(
                        _("The government data resources open to the public, by provider."),
                        lang=tag,
                    ),
                )
            )
    publisher = URIRef(request.build_absolute_uri("/"))
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    with translation.override("zh-hans"):
        graph.add((publisher, FOAF.name, Literal(_("Shuzheng"), lang="zh")))
    for resource in public_resources():
        graph.add((catalog, DCAT.dataset, _add_dataset(graph, request, resource)))
    return graph


def dataset_graph(request, resource: DataResource) -> Graph:
    """One public dataset (the caller has checked ``resource.is_public``)."""
    graph = _graph()
    _add_dataset(graph, request, resource)
    return graph


def serialize(graph: Graph, suffix: str) -> str:
    return graph.serialize(format=FORMATS[suffix][0])


def _graph() -> Graph:
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    return graph


def _add_dataset(graph: Graph, request, resource: DataResource) -> URIRef:
    dataset = URIRef(
        request.build_absolute_uri(reverse("catalog_dcat:dataset", args=[resource.pk]))
    )
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.identifier, Literal(resource.code)))
    graph.add((dataset, DCTERMS.title, Literal(resource.title, lang="zh")))
    graph.add((dataset, DCTERMS.description, Literal(resource.summary, lang="zh")))
    for keyword in resource.keywords:
        graph.add((dataset, DCAT.keyword, Literal(keyword, lang="zh")))
    publisher = URIRef(
        request.build_absolute_uri(reverse("orgs:unit_detail", args=[resource.provider.code]))
    )
    graph.add((dataset, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(resource.provider.name, lang="zh")))
    frequency = _FREQUENCIES.get(resource.update_frequency)
    if frequency is not None:
        graph.add((dataset, DCTERMS.accrualPeriodicity, frequency))
        graph.add((frequency, RDF.type, DCTERMS.Frequency))
    if resource.first_published_at is not None:
        graph.add(
            (dataset, DCTERMS.issued, Literal(resource.first_published_at, datatype=XSD.dateTime))
        )
    graph.add((dataset, DCTERMS.modified, Literal(resource.modified_at, datatype=XSD.dateTime)))
    for distribution in resource.distributions.all():
        graph.add(
            (dataset, DCAT.distribution, _add_distribution(graph, request, resource, distribution))
        )
    return dataset


def _add_distribution(
    graph: Graph, request, resource: DataResource, distribution: Distribution
) -> BNode:
    node = BNode(f"distribution-{distribution.pk}")
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(distribution.title, lang="zh")))
    if distribution.description:
        graph.add((node, DCTERMS.description, Literal(distribution.description, lang="zh")))
    dataset_url = request.build_absolute_uri(reverse("catalog_dcat:dataset", args=[resource.pk]))
    if distribution.kind == DistributionKind.LINK and distribution.url:
        graph.add((node, DCAT.accessURL, URIRef(distribution.url)))
    elif (
        distribution.kind == DistributionKind.FILE
        and distribution.file
        and resource.is_openly_downloadable
    ):
        download = URIRef(
            request.build_absolute_uri(
                reverse("catalog_dcat:download", args=[resource.pk, distribution.pk])
            )
        )
        graph.add((node, DCAT.accessURL, download))
        graph.add((node, DCAT.downloadURL, download))
    else:
        # Released on application (有条件开放) or a database table: the dataset says how.
        graph.add((node, DCAT.accessURL, URIRef(dataset_url)))
    if distribution.format:
        file_type = FILE_TYPE[distribution.format.upper()]
        graph.add((node, DCTERMS.format, file_type))
        graph.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
    if distribution.media_type:
        media_type = IANA[distribution.media_type]
        graph.add((node, DCAT.mediaType, media_type))
        graph.add((media_type, RDF.type, DCTERMS.MediaType))
    if distribution.byte_size is not None:
        graph.add(
            (node, DCAT.byteSize, Literal(distribution.byte_size, datatype=XSD.nonNegativeInteger))
        )
    graph.add((node, DCTERMS.modified, Literal(distribution.modified_at, datatype=XSD.dateTime)))
    license_document = LICENSES.get(resource.license_id)
    if license_document is not None:
        graph.add((node, DCTERMS.license, license_document))
        graph.add((license_document, RDF.type, DCTERMS.LicenseDocument))
    return node
