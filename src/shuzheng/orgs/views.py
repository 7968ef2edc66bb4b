"""HTML pages of the organisations registry (public, read-only: the registry's writes go
through the loader and the admin) and of the people of the units: unit heads and
administrators manage accounts here (issue 14, point 5)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng.accounts import services as account_services
from shuzheng.accounts.authorization import require_perm
from shuzheng.accounts.choices import Role
from shuzheng.accounts.permissions import may_manage_account
from shuzheng.audit.models import AuditEvent
from shuzheng.client_address import client_address
from shuzheng.orgs import selectors, services
from shuzheng.orgs.filtersets import RegistryFilterSet
from shuzheng.orgs.forms import PeopleFilterForm, PersonForm, RoleForm
from shuzheng.orgs.models import Unit
from shuzheng.orgs.tables import PeopleTable, SupervisorTable


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


# --- people of the units (issue 14, point 5) ---------------------------------------------

PEOPLE_PAGE_SIZE = 50


def _managed_person(request, pk: int):
    """The account ``pk`` if the signed-in person manages it, else 404 (another unit's
    staff are not even confirmed to exist)."""
    person = get_object_or_404(get_user_model().objects.select_related("unit"), pk=pk)
    actor = request.user
    if person.pk == actor.pk or not may_manage_account(
        actor.role, actor.unit_id, person.role, person.unit_id
    ):
        raise Http404("No such person among yours")
    return person


@require_perm("manage_people")
def people(request):
    """The people one manages, with a filter by unit name (administrators) and by name."""
    form = PeopleFilterForm(request.GET or None)
    unit = text = None
    if form.is_bound and form.is_valid():
        unit, text = form.cleaned_data.get("unit"), form.cleaned_data.get("q")
    rows = selectors.people_managed_by(request.user, unit=unit, text=text or "")
    page = Paginator(rows, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({key: value for key, value in request.GET.items() if key != "page"})
    context = {
        "form": form,
        "table": PeopleTable(page.object_list, page=page, query=query),
        "own_unit": request.user.unit if request.user.role != Role.ADMINISTRATOR else None,
    }
    return render(request, "orgs/people.html", context, status=400 if form.errors else 200)


@require_perm("manage_people")
def person_new(request):
    """Create an account; the answer shows its generated password once."""
    actor = request.user
    form = PersonForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = data.get("unit") if actor.role == Role.ADMINISTRATOR else actor.unit
        try:
            person, password = account_services.create_account(
                actor,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                unit=unit,
                remote_addr=client_address(request),
            )
        except account_services.AccountError as error:
            form.add_error(None, str(error))
        else:
            return _password_page(request, person, password, created=True)
    status = 400 if form.errors else 200
    return render(request, "orgs/person_new.html", {"form": form}, status=status)


def _password_page(request, person, password: str, *, created: bool):
    response = render(
        request,
        "orgs/person_password.html",
        {"person": person, "password": password, "created": created},
    )
    # The password is on this answer only: no cache keeps a copy.
    response["Cache-Control"] = "no-store"
    return response


@require_perm("manage_people")
def person_detail(request, pk: int, *, role_form=None, status: int = 200):
    if pk == request.user.pk:
        return redirect("accounts:me")
    person = _managed_person(request, pk)
    if role_form is None:
        role_form = RoleForm(initial={"role": person.role, "unit": person.unit}, actor=request.user)
    events = AuditEvent.objects.filter(
        object_type=person._meta.label_lower, object_id=str(person.pk)
    ).order_by("-at")[:20]
    context = {"person": person, "role_form": role_form, "events": events}
    return render(request, "orgs/person_detail.html", context, status=status)


@require_POST
@require_perm("manage_people")
def person_role(request, pk: int):
    person = _managed_person(request, pk)
    form = RoleForm(request.POST, actor=request.user)
    if not form.is_valid():
        return person_detail(request, pk, role_form=form, status=400)
    try:
        account_services.give_role(
            request.user,
            person,
            form.cleaned_data["role"],
            form.cleaned_data.get("unit"),
            remote_addr=client_address(request),
        )
    except account_services.AccountError as error:
        form.add_error(None, str(error))
        return person_detail(request, pk, role_form=form, status=400)
    messages.success(request, _("The role of %(name)s is changed.") % {"name": person.username})
    return redirect("orgs:person_detail", pk=person.pk)


@require_POST
@require_perm("manage_people")
def person_active(request, pk: int):
    person = _managed_person(request, pk)
    active = request.POST.get("active") == "1"
    try:
        account_services.set_account_active(
            request.user, person, active, remote_addr=client_address(request)
        )
    except account_services.AccountError as error:
        messages.error(request, str(error))
    else:
        text = (
            _("%(name)s can sign in again.")
            if active
            else _("%(name)s is deactivated: signing in is refused.")
        )
        messages.success(request, text % {"name": person.username})
    return redirect("orgs:person_detail", pk=person.pk)


@require_POST
@require_perm("manage_people")
def person_password(request, pk: int):
    person = _managed_person(request, pk)
    try:
        password = account_services.reset_password(
            request.user, person, remote_addr=client_address(request)
        )
    except account_services.AccountError as error:
        messages.error(request, str(error))
        return redirect("orgs:person_detail", pk=person.pk)
    return _password_page(request, person, password, created=False)


@require_perm("supervise_tasks")
def supervisor_list(request):
    """Who supervises what: every supervisor with their supervision steps from the trail."""
    rows = selectors.supervisors()
    context = {
        "table": SupervisorTable(rows),
        "may_manage": request.user.role == Role.ADMINISTRATOR,
    }
    return render(request, "orgs/supervisors.html", context)


@require_perm("view_published")
def unit_suggestions(request):
    """The ``<option>``s of a unit box's suggestions (htmx fills its ``<datalist>``)."""
    text = next((value for value in request.GET.values() if value.strip()), "")[:128]
    names = services.unit_suggestions(text)
    return render(request, "orgs/_unit_suggestions.html", {"names": names})
