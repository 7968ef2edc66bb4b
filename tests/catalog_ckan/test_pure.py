"""catalog.ckan's fq and sort readers (pure)."""

import pytest

from shuzheng.catalog import ckan


@pytest.mark.parametrize(
    ("fq", "filters"),
    [
        ("", {}),
        ("organization:nx-education", {"provider_code": ["nx-education"]}),
        (
            '+res_format:CSV tags:"空气 质量" AND groups:(c3 OR c1)',
            {"format": ["CSV"], "keyword": ["空气 质量"], "category": ["c3", "c1"]},
        ),
        ("+dataset_type:dataset license_id:cc-by", {"license": ["cc-by"]}),
        ("res_format:CSV res_format:XLSX", {"format": ["CSV", "XLSX"]}),
    ],
)
def test_fq_terms_become_facet_filters(fq, filters):
    assert ckan.parse_fq(fq) == filters


@pytest.mark.parametrize(
    ("fq", "part"),
    [
        ("colour:blue", "colour:"),
        ("-organization:x", "-organization:x"),
        ("organization", "organization"),
        ("metadata_modified:[NOW-1DAY TO NOW]", "metadata_modified:"),
    ],
)
def test_other_solr_syntax_is_refused_naming_the_part(fq, part):
    with pytest.raises(ckan.FqError) as refused:
        ckan.parse_fq(fq)
    assert refused.value.part == part


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("", "relevance"),
        ("score desc, metadata_modified desc", "relevance"),
        ("metadata_modified desc", "modified"),
        ("name asc", "name"),
        ("name", "name"),
        ("title_string asc", "name"),
    ],
)
def test_sorts(sort, order):
    assert ckan.parse_sort(sort) == order


@pytest.mark.parametrize("sort", ["name desc", "colour asc", "name asc up", "metadata_modified"])
def test_unknown_sorts_are_refused(sort):
    with pytest.raises(ckan.FqError):
        ckan.parse_sort(sort)
