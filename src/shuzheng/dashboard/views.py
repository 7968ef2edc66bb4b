"""Pages of the leadership dashboard (驾驶舱) and the annual assessment (考核), issue 5.

For supervisors and administrators (``supervise_tasks``); a unit head may read the score card
of their own unit (``approve_for_unit`` for that unit).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng import clock
from shuzheng.accounts.authorization import has_perm, require_perm
from shuzheng.dashboard import exports, services
from shuzheng.dashboard.ecocomp import build_ecocomp_panels
from shuzheng.dashboard.filtersets import DrilldownFilterSet
from shuzheng.dashboard.hotline import build_hotline_panels
from shuzheng.dashboard.panels import build_panels, light_labels
from shuzheng.dashboard.queries import (
    MOST_OVERDUE,
    Drilldown,
    counted_tasks,
    red_tasks,
    with_reasons,
)
from shuzheng.dashboard.summary import PERIODS, QUARTER
from shuzheng.dashboard.tables import DrilldownTable
from shuzheng.dashboard.tilemap import legend, tile_map
from shuzheng.hotline import hotspots
from shuzheng.lists import ObjectListView
from shuzheng.orgs.models import Unit
from shuzheng.tasks.rendering import rules_problem
from shuzheng.tasks.scoring import RulesError
from shuzheng.tasks.selectors import lights_age
from shuzheng.trust.documents import sealed_download

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_perm("supervise_tasks")
def overview(request):
    """One screen: lights, categories, units, deadline years, the red list, the trend."""
    today = clock.today()
    snapshot = services.current_snapshot(today)
    period = request.GET.get("trend", QUARTER)
    if period not in PERIODS:
        period = QUARTER
    context = {
        "snapshot": snapshot,
        "lights_age": lights_age(today),
        "panels": build_panels(services.summary_of(snapshot), period),
        "red": with_reasons(red_tasks(), today),
        "trend_period": period,
        "assessment_year": snapshot.as_of.year,
    }
    template = "dashboard/_panels.html" if request.headers.get("HX-Request") else None
    return render(request, template or "dashboard/overview.html", context)


#: Red tasks listed on the wall screen, and how often it reloads its panels (seconds).
WALL_RED_LIST = 8
WALL_REFRESH_SECONDS = 60


@require_perm("supervise_tasks")
def wall(request):
    """The dashboard on a wall screen (issue 14): lights, the tile map of the cities and
    counties by on-time rate, units, the trend and the red list filling the viewport, its
    panels reloaded every minute (htmx); every number links to the list behind it."""
    today = clock.today()
    snapshot = services.current_snapshot(today)
    context = {
        "snapshot": snapshot,
        "lights_age": lights_age(today),
        "panels": build_panels(services.summary_of(snapshot), QUARTER),
        "red": with_reasons(red_tasks(WALL_RED_LIST), today),
        "map": tile_map(today),
        "map_legend": legend(),
        "refresh_seconds": WALL_REFRESH_SECONDS,
    }
    template = "dashboard/_wall.html" if request.headers.get("HX-Request") else None
    return render(request, template or "dashboard/wall.html", context)


@require_perm("supervise_tasks")
def ecocomp(request):
    """Ecological compensation for leaders (issue 12 point 4): the newest final allocation by
    county and component, and the monitoring sections' water quality by month."""
    return render(request, "dashboard/ecocomp.html", {"panels": build_ecocomp_panels()})


@require_perm("supervise_tasks")
def hotline(request):
    """12345 hot spots for leaders (issue 15 point 6): requests by category, place and week or
    month over twelve periods and the spots rising fastest; every number opens the hotline's
    list of the requests it counts, the hotline's hot-spot page drills down further."""
    kind, level = hotspots.choice(request.GET)
    return render(request, "dashboard/hotline.html", {"panels": build_hotline_panels(kind, level)})


@require_POST
@require_perm("supervise_tasks")
def refresh(request):
    snapshot = services.refresh_snapshot()
    messages.success(
        request,
        _("The dashboard was recomputed in %(ms)s ms.") % {"ms": snapshot.duration_ms},
    )
    return redirect("dashboard:overview")


class DrilldownView(ObjectListView):
    """The list behind a dashboard number (drill-down), most overdue first."""

    filterset_class = DrilldownFilterSet
    table_class = DrilldownTable
    template_name = "dashboard/tasks.html"
    paginate_by = PAGE_SIZE

    def get_rows(self):
        return counted_tasks().order_by(MOST_OVERDUE, "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = clock.today()
        filterset = self.filterset
        filters = Drilldown(
            light=filterset.value("light") or "",
            category=filterset.chosen_category,
            unit=filterset.value("unit") or "",
            year=filterset.value("year") or "",
        )
        page = context["page"]
        context["table"] = DrilldownTable(
            with_reasons(page.object_list, today), page=page, query=context["query"]
        )
        unit = Unit.objects.filter(code=filters.unit).first() if filters.unit else None
        return context | {
            "snapshot": services.current_snapshot(today),
            "lights_age": lights_age(today),
            "filters": filters,
            "unit": unit,
            "light_label": light_labels().get(filters.light, ""),
            "labels": light_labels(),
        }


task_list = require_perm("supervise_tasks")(DrilldownView.as_view())


@require_perm("supervise_tasks")
def assessment(request, year: int):
    """The ranked table of units and regions for a year (issue 5).

    A year without rules gets a page that says so and offers to start from the closest
    year's rules (issue 14: the dashboard's link to the current year opened a bare 404).
    """
    try:
        result = services.assess(year, clock.today())
    except services.NoRules:
        return render(
            request,
            "dashboard/no_rules.html",
            {
                "year": year,
                "source": services.rules_to_start_from(year),
                "years": services.rule_years(),
            },
        )
    return render(
        request,
        "dashboard/assessment.html",
        {"result": result, "years": services.rule_years()},
    )


@require_POST
@require_perm("supervise_tasks")
def start_rules(request, year: int):
    """Give a year without rules a copy of the closest year's (validated, audited)."""
    try:
        services.start_rules_from(year, actor=request.user)
    except RulesError as error:
        for problem in error.problems:
            messages.error(request, rules_problem(problem))
        return redirect("dashboard:assessment", year=year)
    messages.success(request, _("Rules for %(year)s saved.") % {"year": year})
    return redirect("dashboard:assessment", year=year)


def scorecard(request, year: int, unit: str):
    """One unit's score, explained line by line; its unit head may read it too."""
    found = Unit.objects.filter(code=unit).first()
    if found is None:
        raise Http404(_("No such unit."))
    if not (
        has_perm(request.user, "supervise_tasks")
        or has_perm(request.user, "approve_for_unit", found)
    ):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("supervise_tasks or approve_for_unit required")
    result = _assess(year)
    ranked = result.card_of(found.code)
    if ranked is None:
        raise Http404(_("This unit is not assessed in %(year)s.") % {"year": year})
    return render(
        request,
        "dashboard/scorecard.html",
        {"result": result, "ranked": ranked, "card": ranked.entry, "unit": found},
    )


@require_perm("supervise_tasks")
def export_xlsx(request, year: int):
    result = _assess(year)
    response = HttpResponse(exports.assessment_workbook(result), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="assessment-{year}.xlsx"'
    return response


@require_perm("supervise_tasks")
def export_pdf(request, year: int):
    result = _assess(year)
    response = HttpResponse(exports.assessment_pdf(result), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="assessment-{year}.pdf"'
    return response


@require_POST
@require_perm("supervise_tasks")
def export_sealed_pdf(request, year: int):
    """The assessment report sealed by the unit posted (盖章下载, ``trust.documents``)."""
    result = _assess(year)
    return sealed_download(
        request,
        units=None,
        render=lambda unit, seal_png: exports.assessment_pdf(
            result, issuer=unit.name, seal_png=seal_png
        ),
        subject_kind="dashboard.assessment",
        subject_ref=f"{year} {result.as_of.isoformat()}",
        filename=f"assessment-{year}-sealed.pdf",
        back=reverse("dashboard:assessment", args=[year]),
    )


@require_perm("supervise_tasks")
def rules(request):
    """View the years' indicator systems and upload a new one (validated, errors listed)."""
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("rules")
        if upload is None:
            problems = [_("Choose a rules file (JSON) to upload.")]
        else:
            try:
                data = services.parse_rules_upload(upload.read())
                stored = services.save_rules(data, actor=request.user)
            except RulesError as error:
                problems = [rules_problem(problem) for problem in error.problems]
            else:
                messages.success(request, _("Rules for %(year)s saved.") % {"year": stored.year})
                return redirect("dashboard:rules")
    years = [(year, services.rules_for_year(year)) for year in services.rule_years()]
    status = 400 if problems else 200
    return render(
        request, "dashboard/rules.html", {"years": years, "problems": problems}, status=status
    )


def _assess(year: int) -> services.Assessment:
    try:
        return services.assess(year, clock.today())
    except services.NoRules:
        raise Http404(_("No assessment rules for %(year)s.") % {"year": year}) from None
