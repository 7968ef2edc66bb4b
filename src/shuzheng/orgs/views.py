"""HTML pages of the organisations registry: public, read-only (writes go through the admin)."""

from django.http import Http404
from django.shortcuts import render

from shuzheng.accounts.authorization import require_perm
from shuzheng.orgs import services
from shuzheng.orgs.filtersets import RegistryFilterSet
from shuzheng.orgs.models import Unit


@require_perm("view_published")
def registry(request):
    """The region tree with its units; ``?q=`` filters (its FilterSet), htmx asks for the
    tree alone. A filter that is too long filters nothing and says why beside the field."""
    filterset = RegistryFilterSet(request.GET, queryset=Unit.objects.all())
    context = {
        "tree": services.registry_tree(filterset),
        "query": filterset.value("q") or "",
        "form": filterset.form,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "orgs/_registry_tree.html", context)
    return render(request, "orgs/registry.html", context)


@require_perm("view_published")
def unit_detail(request, code: str):
    try:
        unit = services.get_unit(code)
    except Unit.DoesNotExist as error:
        raise Http404("No such unit") from error
    return render(request, "orgs/unit_detail.html", {"unit": unit})


@require_perm("view_published")
def resolve(request):
    """How a 责任单位 text resolves: lead, owner and supporting units, groups, unknown names."""
    text = request.GET.get("text", "").strip()
    context = {"text": text, "result": None}
    if text:
        result = services.resolve_responsibility(text)
        context["result"] = result
        context["roles"] = services.describe_responsibility(result)
    return render(request, "orgs/resolve.html", context)
