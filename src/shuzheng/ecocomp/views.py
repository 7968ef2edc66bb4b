"""The ecocomp pages (issue 12, point 5): the finance department's rule sets, factor import,
runs, explanations, what-ifs and approvals; the environment department's sections,
monitoring data, agreements and settlements; a county's own allocation; the public's final
allocations. Thin: validate → call a selector or a service → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng import clock
from shuzheng.accounts.authorization import ensure_perm, require_perm
from shuzheng.ecocomp import exports, imports, rendering, rules, selectors, services
from shuzheng.ecocomp.choices import ComponentKind, Indicator, RunKind, RunState
from shuzheng.ecocomp.factors import BY_KEY, KEY_FUNCTION_COUNTIES
from shuzheng.ecocomp.forms import FinaliseForm, SettleForm, UploadForm, WhatIfForm
from shuzheng.ecocomp.models import (
    AllocationRuleSet,
    AllocationRun,
    BasinAgreement,
    MonitoringSection,
    Settlement,
)
from shuzheng.ecocomp.tables import AgreementTable, PublishedTable, RuleSetTable, SectionTable
from shuzheng.lists import ObjectListView
from shuzheng.orgs.models import Region
from shuzheng.trust.documents import sealed_download

INDICATORS = [code for code, _label in Indicator.choices]


def _refused(request, error) -> None:
    """A refused step's messages, each naming what is at fault, on the next page."""
    if isinstance(error, imports.ImportRefused):
        for problem in error.problems:
            messages.error(request, problem.describe(_))
    else:
        for problem in error.problems:
            messages.error(request, problem)


# --- public -------------------------------------------------------------------------------


class PublishedListView(ObjectListView):
    table_class = PublishedTable
    template_name = "ecocomp/published.html"
    paginate_by = 50

    def get_rows(self):
        return selectors.final_runs()


published = PublishedListView.as_view()


def _run(pk: int) -> AllocationRun:
    return get_object_or_404(AllocationRun.objects.select_related("rule_set__owner", "base"), pk=pk)


def _refusal(request):
    """The login page for the public, the 403 page for the signed-in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def run_detail(request, pk: int):
    """A run's table by county and component, its bar chart, and for the finance unit the
    approval, finalisation and what-if forms."""
    run = _run(pk)
    if not selectors.reads_run(request.user, run):
        return _refusal(request)
    compared = run.base if run.kind == RunKind.WHAT_IF else selectors.previous_final(run)
    columns, rows = selectors.allocation_table(run, compared)
    rule_set = run.rule_set
    manages = selectors.manages(request.user, rule_set)
    context = {
        "run": run,
        "rule_set": rule_set,
        "columns": columns,
        "rows": rows,
        "compared": compared,
        "manages": manages,
        "approves": selectors.approves(request.user, rule_set),
        "total": sum(row.amount for row in rows),
        "gaps": [
            (
                Region.objects.filter(code=code).values_list("name", flat=True).first() or code,
                rendering.factor_label(factor),
            )
            for code, factor in run.gaps
        ],
        "finalise_form": FinaliseForm(),
    }
    if manages and run.kind == RunKind.RUN and run.state != RunState.FINAL:
        form = WhatIfForm(components=rule_set.components)
        context["what_if_form"] = form
        context["weight_rows"] = [
            (
                name,
                rendering.component_names(rule_set.components)[component],
                rendering.factor_label(factor),
                form.fields[name].initial,
            )
            for name, component, factor in form.weight_fields
        ]
        context["counties"] = services.counties()
        context["factors"] = [(key, rendering.factor_label(key)) for key in BY_KEY]
    return render(request, "ecocomp/run.html", context)


def county_explanation(request, pk: int, code: str):
    """A county's amount line by line: factor value → share → weight → amount."""
    run = get_object_or_404(AllocationRun.objects.select_related("rule_set"), pk=pk)
    readable = selectors.reads_run(request.user, run) or (
        run.state == RunState.APPROVED and selectors.reads_county(request.user, code)
    )
    if not readable:
        return _refusal(request)
    entry = selectors.county_entry(run, code)
    if entry is None:
        raise Http404
    lines = rendering.worded_lines(entry.lines, run.rule_set.components)
    provenance = (
        run.provenance.get(code, {}) if selectors.manages(request.user, run.rule_set) else {}
    )
    return render(
        request,
        "ecocomp/explain.html",
        {
            "run": run,
            "entry": entry,
            "lines": lines,
            "provenance": [(rendering.factor_label(key), text) for key, text in provenance.items()],
            "sources": [
                (rendering.component_names(run.rule_set.components).get(key, key), text)
                for key, text in run.rule_set.sources.items()
            ],
        },
    )


def run_export(request, pk: int, kind: str):
    run = _run(pk)
    if not selectors.reads_run(request.user, run):
        return _refusal(request)
    if kind == "xlsx":
        response = HttpResponse(
            exports.allocation_workbook(run),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.allocation_pdf(run), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="allocation-{run.rule_set.year}-{run.pk}.{kind}"'
    )
    return response


@require_POST
def run_sealed_pdf(request, pk: int):
    """The allocation statement sealed by the finance unit (盖章下载, ``trust.documents``)."""
    run = _run(pk)
    if not selectors.reads_run(request.user, run):
        return _refusal(request)
    owner = run.rule_set.owner
    return sealed_download(
        request,
        units=[owner],
        render=lambda unit, seal_png: exports.allocation_pdf(
            run, seal_png=seal_png, issuer_lines=[unit.name, clock.today().isoformat()]
        ),
        subject_kind="ecocomp.allocation",
        subject_ref=f"{run.rule_set.year} #{run.pk} {run.state}",
        filename=f"allocation-{run.rule_set.year}-{run.pk}-sealed.pdf",
        back=reverse("ecocomp:run", args=[run.pk]),
    )


# --- finance ------------------------------------------------------------------------------


class RuleSetListView(ObjectListView):
    table_class = RuleSetTable
    template_name = "ecocomp/rule_sets.html"
    paginate_by = 50

    def get_rows(self):
        return selectors.rule_sets(self.request.user)


rule_sets = require_perm("manage_ecocomp")(RuleSetListView.as_view())


def _rule_set(request, pk: int) -> AllocationRuleSet:
    rule_set = get_object_or_404(AllocationRuleSet.objects.select_related("owner"), pk=pk)
    ensure_perm(request.user, "manage_ecocomp", rule_set.owner)
    return rule_set


@require_perm("manage_ecocomp")
def rule_set_detail(request, pk: int):
    rule_set = _rule_set(request, pk)
    names = rendering.component_names(rule_set.components)
    components = [
        {
            "name": names[entry["key"]],
            "kind": dict(ComponentKind.choices).get(entry.get("kind"), entry.get("kind")),
            "share": rendering.ratio(entry.get("share", "0")),
            "weights": [
                (rendering.factor_label(factor), weight)
                for factor, weight in (entry.get("weights") or {}).items()
            ],
            "source": rule_set.sources.get(entry["key"], ""),
        }
        for entry in rule_set.components
    ]
    return render(
        request,
        "ecocomp/rule_set.html",
        {
            "rule_set": rule_set,
            "components": components,
            "runs": selectors.runs_of(rule_set),
            "assessed": rules.assessment_entry(rule_set.components) is not None,
            "evaluations": [
                (evaluation, rendering.evaluation_lines(evaluation.details))
                for evaluation in selectors.evaluations(rule_set.year)
            ],
            "upload_form": UploadForm(),
            "approves": selectors.approves(request.user, rule_set),
            "key_counties": selectors.key_function_counties(rule_set.year),
            "key_counties_named": KEY_FUNCTION_COUNTIES,
        },
    )


@require_POST
@require_perm("manage_ecocomp")
def import_factors(request, pk: int):
    rule_set = _rule_set(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("ecocomp:rule_set", pk=pk)
    upload = form.cleaned_data["file"]
    try:
        job = services.import_factors(
            actor=request.user,
            rule_set=rule_set,
            file_name=upload.name,
            data=upload.read(),
            source=form.cleaned_data["source"],
        )
    except imports.ImportRefused as error:
        messages.error(request, _("Nothing was imported: correct these rows and try again."))
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Imported the factors of %(count)s counties from %(file)s.")
            % {"count": job.rows, "file": job.file_name},
        )
    return redirect("ecocomp:rule_set", pk=pk)


@require_POST
@require_perm("approve_for_unit")
def review_rule_set(request, pk: int):
    rule_set = get_object_or_404(AllocationRuleSet, pk=pk)
    try:
        services.review_rule_set(actor=request.user, rule_set=rule_set)
    except services.EcocompError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The rule set is reviewed."))
    return redirect("ecocomp:rule_set", pk=pk)


@require_POST
@require_perm("manage_ecocomp")
def run_rule_set(request, pk: int):
    rule_set = _rule_set(request, pk)
    try:
        run = services.run_allocation(actor=request.user, rule_set=rule_set)
    except services.EcocompError as error:
        _refused(request, error)
        return redirect("ecocomp:rule_set", pk=pk)
    return redirect("ecocomp:run", pk=run.pk)


@require_POST
@require_perm("manage_ecocomp")
def evaluate_counties(request, pk: int):
    """考评挂钩: evaluate every county's duties; the scores become the assessment factor."""
    rule_set = _rule_set(request, pk)
    try:
        evaluations = services.evaluate_counties(actor=request.user, rule_set=rule_set)
    except services.EcocompError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Evaluated %(count)s counties; run the allocation to use their scores.")
            % {"count": len(evaluations)},
        )
    return redirect("ecocomp:rule_set", pk=pk)


@require_POST
@require_perm("manage_ecocomp")
def what_if(request, pk: int):
    base = get_object_or_404(AllocationRun.objects.select_related("rule_set"), pk=pk)
    form = WhatIfForm(request.POST, components=base.rule_set.components)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("ecocomp:run", pk=pk)
    weights, factors = form.changes()
    try:
        result = services.what_if(
            actor=request.user,
            base=base,
            weights=weights,
            factors=factors,
            note=form.cleaned_data["note"],
        )
    except services.EcocompError as error:
        _refused(request, error)
        return redirect("ecocomp:run", pk=pk)
    return redirect("ecocomp:run", pk=result.run.pk)


@require_POST
@require_perm("approve_for_unit")
def approve_run(request, pk: int):
    run = get_object_or_404(AllocationRun, pk=pk)
    try:
        services.approve_run(actor=request.user, run=run)
    except services.EcocompError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The run is approved."))
    return redirect("ecocomp:run", pk=pk)


@require_POST
@require_perm("approve_for_unit")
def finalise_run(request, pk: int):
    run = get_object_or_404(AllocationRun, pk=pk)
    form = FinaliseForm(request.POST)
    form.is_valid()
    try:
        services.finalise_run(
            actor=request.user,
            run=run,
            override_reason=form.cleaned_data.get("override_reason", ""),
        )
    except services.EcocompError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The allocation is final and published."))
    return redirect("ecocomp:run", pk=pk)


# --- counties -----------------------------------------------------------------------------


@require_perm("view_unit_work")
def county(request, code: str):
    """A county's allocations (approved and final), read-only."""
    region = get_object_or_404(Region, code=code, level="county")
    if not selectors.reads_county(request.user, code):
        raise PermissionDenied
    return render(
        request,
        "ecocomp/county.html",
        {"region": region, "entries": selectors.county_allocations(code)},
    )


@require_perm("view_unit_work")
def my_county(request):
    code = selectors.county_code_of(request.user)
    if code:
        return redirect("ecocomp:county", code=code)
    return render(request, "ecocomp/county.html", {"region": None, "entries": []})


# --- environment --------------------------------------------------------------------------


class SectionListView(ObjectListView):
    table_class = SectionTable
    template_name = "ecocomp/sections.html"
    paginate_by = 50

    def get_rows(self):
        return selectors.sections(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"upload_form": UploadForm()}


sections = require_perm("manage_ecocomp")(SectionListView.as_view())


@require_perm("manage_ecocomp")
def section_detail(request, code: str):
    section = get_object_or_404(
        MonitoringSection.objects.select_related("owner", "region"), code=code
    )
    ensure_perm(request.user, "manage_ecocomp", section.owner)
    months = selectors.section_months(section, INDICATORS)
    return render(
        request,
        "ecocomp/section.html",
        {
            "section": section,
            "indicators": [rendering.indicator_name(code) for code in INDICATORS],
            "months": months,
            "class_names": {number: rendering.class_name(number) for number in range(1, 7)},
        },
    )


@require_POST
@require_perm("manage_ecocomp")
def import_monitoring(request):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("ecocomp:sections")
    upload = form.cleaned_data["file"]
    try:
        result = services.import_monitoring(
            actor=request.user,
            file_name=upload.name,
            data=upload.read(),
            source=form.cleaned_data["source"],
        )
    except imports.ImportRefused as error:
        messages.error(request, _("Nothing was imported: correct these rows and try again."))
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Imported %(rows)s rows from %(file)s.")
            % {"rows": result.job.rows, "file": result.job.file_name},
        )
        for flag in result.flags:
            messages.warning(request, flag.describe(_))
    return redirect("ecocomp:sections")


class AgreementListView(ObjectListView):
    table_class = AgreementTable
    template_name = "ecocomp/agreements.html"
    paginate_by = 50

    def get_rows(self):
        return selectors.agreements(self.request.user)


agreements = require_perm("manage_ecocomp")(AgreementListView.as_view())


def _agreement(request, pk: int) -> BasinAgreement:
    agreement = get_object_or_404(BasinAgreement.objects.select_related("section", "owner"), pk=pk)
    ensure_perm(request.user, "manage_ecocomp", agreement.owner)
    return agreement


@require_perm("manage_ecocomp")
def agreement_detail(request, pk: int):
    agreement = _agreement(request, pk)
    return render(
        request,
        "ecocomp/agreement.html",
        {
            "agreement": agreement,
            "settlements": agreement.settlements.order_by("-period"),
            "settle_form": SettleForm(),
            "indicators": [rendering.indicator_name(code) for code in agreement.indicators],
        },
    )


@require_POST
@require_perm("manage_ecocomp")
def settle(request, pk: int):
    agreement = _agreement(request, pk)
    form = SettleForm(request.POST)
    if not form.is_valid():
        for error in form.errors["period"]:
            messages.error(request, error)
        return redirect("ecocomp:agreement", pk=pk)
    try:
        settlement = services.settle(
            actor=request.user, agreement=agreement, period=form.cleaned_data["period"]
        )
    except services.EcocompError as error:
        _refused(request, error)
        return redirect("ecocomp:agreement", pk=pk)
    return redirect("ecocomp:settlement", pk=settlement.pk)


def _settlement(request, pk: int) -> Settlement:
    settlement = get_object_or_404(
        Settlement.objects.select_related("agreement__section", "agreement__owner"), pk=pk
    )
    ensure_perm(request.user, "manage_ecocomp", settlement.agreement.owner)
    return settlement


@require_perm("manage_ecocomp")
def settlement_detail(request, pk: int):
    settlement = _settlement(request, pk)
    return render(
        request,
        "ecocomp/settlement.html",
        {
            "settlement": settlement,
            "lines": [rendering.settlement_line(label, value) for label, value in settlement.lines],
            "flags": [rendering.flag_text(message, params) for message, params in settlement.flags],
        },
    )


@require_perm("manage_ecocomp")
def settlement_export(request, pk: int, kind: str):
    settlement = _settlement(request, pk)
    if kind == "xlsx":
        response = HttpResponse(
            exports.settlement_workbook(settlement),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.settlement_pdf(settlement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="settlement-{settlement.pk}.{kind}"'
    return response


@require_POST
@require_perm("manage_ecocomp")
def settlement_sealed_pdf(request, pk: int):
    """The settlement statement sealed by the monitoring unit (盖章下载)."""
    settlement = _settlement(request, pk)
    return sealed_download(
        request,
        units=[settlement.agreement.owner],
        render=lambda unit, seal_png: exports.settlement_pdf(
            settlement, seal_png=seal_png, issuer_lines=[unit.name, clock.today().isoformat()]
        ),
        subject_kind="ecocomp.settlement",
        subject_ref=f"{settlement.agreement.name} {settlement.period} #{settlement.pk}",
        filename=f"settlement-{settlement.pk}-sealed.pdf",
        back=reverse("ecocomp:settlement", args=[settlement.pk]),
    )
