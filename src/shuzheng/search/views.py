"""The results page of the policy library (issue 4, item 5): /search/?q=…&kind=…&issuer=…

Works without JavaScript (plain links and a GET form); with htmx a facet click swaps only
the results block and pushes the new URL.
"""

from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from shuzheng.accounts.authorization import require_perm
from shuzheng.search import services
from shuzheng.search.backends import FACETS
from shuzheng.search.choices import Validity
from shuzheng.search.query import KIND_LABELS, PARAMETERS, QueryError, query_from_params
from shuzheng.text import topics as topic_rules

#: Facet name → the URL parameter that filters by it.
FACET_PARAMETERS = {
    "kind": "kind",
    "issuer": "issuer",
    "year": "year",
    "doc_type": "type",
    "topic": "topic",
    "validity": "validity",
    "unit": "unit",
    "deadline_year": "deadline_year",
}

#: Values of a facet shown before its "more" (issue 14: seventy links, none collapsed).
FACET_SHOWN = 5

FACET_LABELS = {
    "kind": _("Level"),
    "issuer": _("Issuer"),
    "year": _("Year"),
    "doc_type": _("Document type"),
    "topic": _("Topic category"),
    "validity": _("Validity"),
    "unit": _("Responsible unit"),
    "deadline_year": _("Deadline year"),
}
#: Facets whose stored values are codes, shown by their labels.
VALUE_LABELS = {
    "kind": {kind: gettext_lazy(label) for kind, label in KIND_LABELS.items()},
    "validity": dict(Validity.choices),
}


#: The example queries the search page and the home page show (issue 14: they returned
#: nothing on the shipped gazette); tests/search/test_shipped_sample.py proves each finds
#: something there.
EXAMPLE_QUERY = "“一网通办” -疫情 机关：自治区人民政府 年份：2023 文号：宁政发〔2023〕17号"
HOME_EXAMPLE_QUERY = "生态补偿 单位：财政厅 年份：2023"

#: The parameters the advanced search form (collapsed by default) has fields for.
ADVANCED_PARAMETERS = (
    "title",
    "body",
    "number",
    "issuer",
    "type",
    "topic",
    "year",
    "date_from",
    "date_to",
)


@require_perm("view_published")
def results(request):
    params = {name: request.GET.get(name, "") for name in PARAMETERS}
    context = {
        "params": params,
        "results": None,
        "error": "",
        "example_query": EXAMPLE_QUERY,
        "advanced_names": ADVANCED_PARAMETERS,
        "advanced_open": any(params[name] for name in ADVANCED_PARAMETERS),
        "topic_choices": [
            (topic.code, topic.name(get_language() or "")) for topic in topic_rules.topics()
        ],
        "selected_topic": _selected_topic(params["topic"]),
    }
    status = 200
    try:
        query = query_from_params(request.GET)
        if any(params[name] for name in PARAMETERS if name not in ("page", "per_page", "sort")):
            context["results"] = services.search(query, user=request.user)
    except QueryError as error:
        context["error"] = error.describe(gettext)
        status = 400
    if context["results"] is not None:
        context["facets"] = _facet_links(params, context["results"])
        context["pages"] = _page_links(params, context["results"])
    template = (
        "search/_results.html" if request.headers.get("HX-Request") else "search/results.html"
    )
    return render(request, template, context, status=status)


def _selected_topic(typed: str) -> str:
    """The code the form's topic select shows chosen: the one class a typed or linked
    ``topic`` names (by code or name), else none."""
    found = topic_rules.resolve(typed) if typed else ()
    return found[0] if len(found) == 1 else ""


def _value_label(facet: str, value: str) -> str:
    """How a facet value is shown: a code by its label (a topic in the page's language)."""
    if facet == "topic":
        return topic_rules.topic_name(value, get_language() or "")
    return VALUE_LABELS.get(facet, {}).get(value, value)


def _url(params: dict, **changes) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({key: value for key, value in merged.items() if value})


def _facet_links(params: dict, results) -> list[dict]:
    """Each facet with its values as filter links; the active value links to its removal."""
    facets = []
    for name in FACETS:
        parameter = FACET_PARAMETERS[name]
        values = []
        for item in results.facets.get(name, []):
            active = params.get(parameter) == item.value or (
                name == "topic" and _selected_topic(params.get(parameter, "")) == item.value
            )
            url = _url(params, page="", **{parameter: "" if active else item.value})
            label = _value_label(name, item.value)
            values.append({"label": label, "count": item.count, "active": active, "url": url})
        if values:
            shown, more = values[:FACET_SHOWN], values[FACET_SHOWN:]
            facets.append(
                {
                    "name": name,
                    "label": FACET_LABELS[name],
                    "values": values,
                    "shown": shown,
                    "more": more,
                    "more_active": any(item["active"] for item in more),
                }
            )
    return facets


def _page_links(params: dict, results) -> dict:
    return {
        "previous": _url(params, page=str(results.page - 1)) if results.page > 1 else "",
        "next": _url(params, page=str(results.page + 1)) if results.page < results.pages else "",
    }
