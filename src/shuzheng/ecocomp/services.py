"""Every change to ecological compensation (issue 12). Each function is one transaction and
records an audit event; ``actor`` None means a system job (the sample loader, the CLI).

Who may do what (one vocabulary, ``accounts.permissions``): the fund's finance unit
prepares rule sets, imports factors and runs allocations (``manage_ecocomp`` for the rule
set's ``owner``), its head reviews rule sets and approves and finalises runs
(``approve_for_unit``); the environment unit keeps sections, monitoring data, agreements and
settlements (``manage_ecocomp`` for their ``owner``).

Rules enforced here for every path:

* a rule set is reviewed only when its rules hold (shares and weights sum to 1) and every
  parameter names its source document; a reviewed rule set is not edited, a new version is;
* an import is all or nothing: one refused row and nothing is stored;
* a run keeps the factors it used (snapshot and provenance); missing values count as zero
  and are listed as gaps; such a run becomes final only with an override reason, which the
  audit event keeps;
* a final run is immutable (``AllocationRun.save`` refuses too).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuzheng import clock
from shuzheng.accounts.authorization import ensure_perm
from shuzheng.audit.services import record_change
from shuzheng.ecocomp import assessment, horizontal, imports, rendering, rules, selectors
from shuzheng.ecocomp.allocation import (
    MESSAGES,
    Allocation,
    AllocationError,
    County,
    CountyAmount,
    allocate,
    compare,
)
from shuzheng.ecocomp.choices import (
    ImportKind,
    Method,
    RuleSetState,
    RunKind,
    RunState,
)
from shuzheng.ecocomp.models import (
    AllocationRuleSet,
    AllocationRun,
    BasinAgreement,
    CountyAllocation,
    CountyEvaluation,
    CountyFactor,
    ImportJob,
    MonitoringSection,
    Settlement,
    WaterQualityReading,
)
from shuzheng.orgs.choices import RegionLevel
from shuzheng.orgs.models import Region


class EcocompError(ValueError):
    """A refused step; ``problems`` are the messages, each naming what is at fault."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def _check(actor, perm: str, unit) -> None:
    if actor is not None:
        ensure_perm(actor, perm, unit)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def counties() -> list[Region]:
    """The county-level divisions allocated to: every county-level region of the registry
    (Ningxia's 22)."""
    return list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"))


# --- rule sets ----------------------------------------------------------------------------


def _rule_set_data(rule_set: AllocationRuleSet) -> dict:
    return {
        "year": rule_set.year,
        "fund_name": rule_set.fund_name,
        "name": rule_set.name,
        "version": rule_set.version,
        "state": rule_set.state,
        "fund": str(rule_set.fund),
        "cap": None if rule_set.cap is None else str(rule_set.cap),
        "floor": None if rule_set.floor is None else str(rule_set.floor),
        "components": rule_set.components,
        "sources": rule_set.sources,
    }


def _validated(fund, components, cap, floor) -> None:
    try:
        rules.rule_set(fund, components, cap, floor)
    except rules.RulesError as error:
        raise EcocompError(error.describe(_)) from None
    if Decimal(fund) <= 0 or Decimal(fund) != Decimal(fund).to_integral_value():
        raise EcocompError([_("The fund must be a positive whole number of yuan.")])


@transaction.atomic
def create_rule_set(
    *,
    actor,
    owner,
    year: int,
    fund_name: str,
    name: str,
    fund,
    components: list[dict],
    sources: dict[str, str],
    cap=None,
    floor=None,
    is_sample: bool = False,
) -> AllocationRuleSet:
    """A new rule set (draft), the next version of the year's fund."""
    _check(actor, "manage_ecocomp", owner)
    _validated(fund, components, cap, floor)
    latest = (
        AllocationRuleSet.objects.filter(year=year, fund_name=fund_name)
        .order_by("-version")
        .first()
    )
    rule_set = AllocationRuleSet.objects.create(
        owner=owner,
        year=year,
        fund_name=fund_name,
        name=name,
        version=latest.version + 1 if latest else 1,
        fund=Decimal(fund),
        cap=cap,
        floor=floor,
        components=components,
        sources=sources,
        is_sample=is_sample,
    )
    record_change(
        actor=actor, action="ecocomp.create_rule_set", obj=rule_set, after=_rule_set_data(rule_set)
    )
    return rule_set


@transaction.atomic
def review_rule_set(*, actor, rule_set: AllocationRuleSet) -> AllocationRuleSet:
    """Mark a draft rule set reviewed: its rules hold and every parameter has a source."""
    rule_set = AllocationRuleSet.objects.select_for_update().get(pk=rule_set.pk)
    _check(actor, "approve_for_unit", rule_set.owner)
    if rule_set.state != RuleSetState.DRAFT:
        raise EcocompError([_("This rule set is reviewed already.")])
    _validated(rule_set.fund, rule_set.components, rule_set.cap, rule_set.floor)
    missing = rules.unsourced(rule_set.components, rule_set.sources, rule_set.cap, rule_set.floor)
    if missing:
        raise EcocompError([_(message).format(**params) for message, params in missing])
    before = _rule_set_data(rule_set)
    rule_set.state = RuleSetState.REVIEWED
    rule_set.reviewed_by = _user(actor)
    rule_set.reviewed_at = timezone.now()
    rule_set.save()
    record_change(
        actor=actor,
        action="ecocomp.review_rule_set",
        obj=rule_set,
        before=before,
        after=_rule_set_data(rule_set),
    )
    return rule_set


# --- factor data --------------------------------------------------------------------------


@transaction.atomic
def import_factors(
    *, actor, rule_set: AllocationRuleSet, file_name: str, data: bytes, source: str = ""
) -> ImportJob:
    """Store a factor workbook's values for the rule set's year (all or nothing); a value
    already there for a county and factor is replaced, the import job is its provenance.
    Raises :class:`imports.ImportRefused` naming every bad row and column."""
    _check(actor, "manage_ecocomp", rule_set.owner)
    regions = {region.code: region for region in counties()}
    table = imports.read_table(file_name, data)
    rows = imports.factor_rows(table, {code: region.name for code, region in regions.items()})
    job = ImportJob.objects.create(
        kind=ImportKind.FACTORS,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=rows.encoding,
        year=rule_set.year,
        rows=len(rows.values),
        source=source[:300],
        imported_by=_user(actor),
        is_sample=rule_set.is_sample,
    )
    keys = {key for values in rows.values.values() for key in values}
    CountyFactor.objects.filter(
        year=rule_set.year, region__code__in=list(rows.values), factor__in=keys
    ).delete()
    CountyFactor.objects.bulk_create(
        CountyFactor(
            year=rule_set.year,
            region=regions[code],
            factor=key,
            value=value,
            source=source[:300],
            import_job=job,
            row=row,
        )
        for code, values in rows.values.items()
        for key, (value, row) in values.items()
    )
    record_change(
        actor=actor,
        action="ecocomp.import_factors",
        obj=job,
        after={
            "file": job.file_name,
            "sha256": job.sha256,
            "year": job.year,
            "counties": job.rows,
            "factors": sorted(keys),
        },
    )
    return job


def set_factor(
    *,
    actor,
    rule_set: AllocationRuleSet,
    region: Region,
    factor: str,
    value,
    source: str,
    evaluation=None,
) -> CountyFactor:
    """One county's value of one factor (the evaluation's score, a correction by hand)."""
    _check(actor, "manage_ecocomp", rule_set.owner)
    with transaction.atomic():
        old = CountyFactor.objects.filter(year=rule_set.year, region=region, factor=factor).first()
        before = None if old is None else {"value": str(old.value), "source": old.source}
        entry, _created = CountyFactor.objects.update_or_create(
            year=rule_set.year,
            region=region,
            factor=factor,
            defaults={
                "value": Decimal(value),
                "source": source[:300],
                "import_job": None,
                "row": None,
                "evaluation": evaluation,
            },
        )
        record_change(
            actor=actor,
            action="ecocomp.set_factor",
            obj=entry,
            before=before,
            after={"value": str(entry.value), "source": entry.source},
        )
    return entry


# --- the assessment link (考评挂钩) ----------------------------------------------------------


@transaction.atomic
def evaluate_counties(*, actor, rule_set: AllocationRuleSet, today=None) -> list[CountyEvaluation]:
    """Evaluate every county's compensation duties for the rule set's year (measure （十九）)
    with the parameters of its adjustment component (``ecocomp.assessment``): the ledger's
    tasks of the named measures by light, as of ``today``, and the county's sections' water
    class by month. Each county's :class:`CountyEvaluation` keeps the score and its lines;
    the score becomes the component's score factor for the year, its provenance the
    evaluation — the run's explanation then reads score → band → reward or deduction."""
    _check(actor, "manage_ecocomp", rule_set.owner)
    found = rules.assessment_entry(rule_set.components)
    if found is None:
        raise EcocompError([_("This rule set has no assessment parameters.")])
    entry, data = found
    try:
        parameters = assessment.rules_from_data(data)
    except assessment.AssessmentRulesError as error:
        raise EcocompError(
            [_(message).format(**params) for message, params in error.problems]
        ) from None
    if not entry.get("score_factor"):
        raise EcocompError([_("The assessment component names no score factor.")])
    today = today or clock.today()
    duties = selectors.county_duties(parameters.document, parameters.measures, today)
    quality = selectors.county_quality(rule_set.year, parameters.target_class)
    source = str(rule_set.sources.get(entry["key"], ""))
    evaluations = []
    for region in counties():
        months, met, without = quality.get(region.code, (0, 0, 0))
        facts = assessment.Duties(duties.get(region.code, {}))
        result = assessment.evaluate(facts, assessment.Quality(months, met, without), parameters)
        details = {
            "as_of": today.isoformat(),
            "document": parameters.document,
            "measures": list(parameters.measures),
            "tasks": {light: facts.lights.get(light, 0) for light in assessment.LIGHTS},
            "quality": {"months": months, "met": met, "without_value": without},
            "lines": [[code, params, str(points)] for code, params, points in result.lines],
        }
        evaluation, _created = CountyEvaluation.objects.update_or_create(
            year=rule_set.year,
            region=region,
            defaults={"score": result.score, "details": details},
        )
        set_factor(
            actor=actor,
            rule_set=rule_set,
            region=region,
            factor=entry["score_factor"],
            value=result.score,
            source=source,
            evaluation=evaluation,
        )
        evaluations.append(evaluation)
    record_change(
        actor=actor,
        action="ecocomp.evaluate_counties",
        obj=rule_set,
        after={
            "year": rule_set.year,
            "as_of": today.isoformat(),
            "scores": {e.region.code: str(e.score) for e in evaluations},
        },
    )
    return evaluations


# --- runs ---------------------------------------------------------------------------------


def factor_snapshot(year: int, keys: list[str]) -> tuple[dict, dict]:
    """The year's values of ``keys`` per county code and where each came from."""
    values: dict[str, dict[str, str]] = {region.code: {} for region in counties()}
    provenance: dict[str, dict[str, str]] = {code: {} for code in values}
    rows = CountyFactor.objects.filter(year=year, factor__in=keys).select_related(
        "region", "import_job", "evaluation"
    )
    for row in rows:
        if row.region.code not in values:
            continue
        values[row.region.code][row.factor] = str(row.value)
        origin = (
            _("import #%(job)s (%(file)s), row %(row)s")
            % {"job": row.import_job_id, "file": row.import_job.file_name, "row": row.row}
            if row.import_job_id
            else rendering.evaluation_summary(row.evaluation)
            if row.evaluation_id
            else _("entered by hand")
        )
        provenance[row.region.code][row.factor] = (
            f"{origin}; {row.source}" if row.source else origin
        )
    return values, provenance


def _allocate(rule_set: AllocationRuleSet, components: list[dict], snapshot: dict):
    """Allocate on ``snapshot``; a missing value counts as zero and is returned as a gap."""
    try:
        pure = rules.rule_set(rule_set.fund, components, rule_set.cap, rule_set.floor)
    except rules.RulesError as error:
        raise EcocompError(error.describe(_)) from None
    keys = rules.factors_used(pure.components)
    names = dict(Region.objects.filter(code__in=list(snapshot)).values_list("code", "name"))
    gaps = [[code, key] for code in sorted(snapshot) for key in keys if key not in snapshot[code]]
    entries = [
        County(
            code,
            names.get(code, code),
            {key: Decimal(snapshot[code].get(key, "0")) for key in keys},
        )
        for code in sorted(snapshot)
    ]
    try:
        return allocate(pure, entries), gaps
    except AllocationError as error:
        raise EcocompError([_(MESSAGES[error.problem]).format(**error.params)]) from None


def _store_run(run: AllocationRun, result) -> None:
    regions = {region.code: region for region in counties()}
    CountyAllocation.objects.bulk_create(
        CountyAllocation(
            run=run,
            region=regions[county.code],
            amount=county.amount,
            lines=[rules.line_data(line) for line in county.lines],
        )
        for county in result.counties
    )


def _run_data(run: AllocationRun) -> dict:
    return {
        "rule_set": run.rule_set_id,
        "kind": run.kind,
        "state": run.state,
        "base": run.base_id,
        "gaps": run.gaps,
        "changes": run.changes,
        "override_reason": run.override_reason,
    }


@transaction.atomic
def run_allocation(*, actor, rule_set: AllocationRuleSet, note: str = "") -> AllocationRun:
    """Run a rule set on the year's factors as they are now (the snapshot is kept)."""
    _check(actor, "manage_ecocomp", rule_set.owner)
    pure = rules.rule_set(rule_set.fund, rule_set.components, rule_set.cap, rule_set.floor)
    snapshot, provenance = factor_snapshot(rule_set.year, rules.factors_used(pure.components))
    if not snapshot:
        raise EcocompError([_("There is no county-level division in the registry.")])
    result, gaps = _allocate(rule_set, rule_set.components, snapshot)
    run = AllocationRun.objects.create(
        rule_set=rule_set,
        kind=RunKind.RUN,
        factors=snapshot,
        provenance=provenance,
        gaps=gaps,
        note=note[:300],
        created_by=_user(actor),
    )
    _store_run(run, result)
    record_change(
        actor=actor,
        action="ecocomp.run",
        obj=run,
        after={**_run_data(run), "amounts": {c.code: str(c.amount) for c in result.counties}},
    )
    return run


@dataclass(frozen=True)
class WhatIf:
    run: AllocationRun
    changes: list  # allocation.Change, largest gain first


@transaction.atomic
def what_if(
    *,
    actor,
    base: AllocationRun,
    weights: Mapping[str, Mapping[str, str]] | None = None,
    factors: Mapping[str, Mapping[str, str]] | None = None,
    note: str = "",
) -> WhatIf:
    """试算: the base run with changed weights (component → factor → weight) and/or factor
    values (county code → factor → value); who gains and who loses against the base."""
    rule_set = base.rule_set
    _check(actor, "manage_ecocomp", rule_set.owner)
    weights = {c: {f: str(w) for f, w in fs.items()} for c, fs in (weights or {}).items()}
    factors = {c: {f: str(v) for f, v in fs.items()} for c, fs in (factors or {}).items()}
    problems = [
        _("County %(county)s is not in the run.") % {"county": code}
        for code in factors
        if code not in base.factors
    ]
    for code, values in factors.items():
        for key, value in values.items():
            parsed = imports.number(value)
            if parsed is None or parsed < 0:
                problems.append(
                    _("County %(county)s, factor %(factor)s: “%(value)s” is no number ≥ 0.")
                    % {"county": code, "factor": key, "value": value}
                )
    if problems:
        raise EcocompError(problems)
    components = rules.with_changes(rule_set.components, weights)
    snapshot = {code: {**values, **factors.get(code, {})} for code, values in base.factors.items()}
    result, gaps = _allocate(rule_set, components, snapshot)
    run = AllocationRun.objects.create(
        rule_set=rule_set,
        kind=RunKind.WHAT_IF,
        base=base,
        factors=snapshot,
        provenance=base.provenance,
        gaps=gaps,
        changes={"weights": weights, "factors": factors},
        note=note[:300],
        created_by=_user(actor),
    )
    _store_run(run, result)
    record_change(actor=actor, action="ecocomp.what_if", obj=run, after=_run_data(run))
    return WhatIf(run, compare(stored_allocation(base), result))


def stored_allocation(run: AllocationRun):
    """A stored run as the pure module's :class:`Allocation` (for comparisons)."""
    return Allocation(
        run.rule_set.fund,
        tuple(
            CountyAmount(
                entry.region.code,
                entry.region.name,
                entry.amount,
                tuple(rules.line_from_data(line) for line in entry.lines),
            )
            for entry in run.counties.select_related("region")
        ),
    )


@transaction.atomic
def approve_run(*, actor, run: AllocationRun) -> AllocationRun:
    """A draft run approved by the finance unit's head (审核); what-if runs never are."""
    run = AllocationRun.objects.select_for_update().select_related("rule_set").get(pk=run.pk)
    _check(actor, "approve_for_unit", run.rule_set.owner)
    if run.kind != RunKind.RUN:
        raise EcocompError([_("A what-if run is not approved: run the rule set itself.")])
    if run.state != RunState.DRAFT:
        raise EcocompError([_("Only a draft run can be approved.")])
    if run.rule_set.state != RuleSetState.REVIEWED:
        raise EcocompError([_("The rule set must be reviewed before a run of it is approved.")])
    before = _run_data(run)
    run.state = RunState.APPROVED
    run.approved_by, run.approved_at = _user(actor), timezone.now()
    run.save()
    record_change(
        actor=actor, action="ecocomp.approve_run", obj=run, before=before, after=_run_data(run)
    )
    return run


@transaction.atomic
def finalise_run(*, actor, run: AllocationRun, override_reason: str = "") -> AllocationRun:
    """Make an approved run final and public; with gaps in its data only with an override
    reason, kept in the run and in the audit event."""
    run = AllocationRun.objects.select_for_update().select_related("rule_set").get(pk=run.pk)
    _check(actor, "approve_for_unit", run.rule_set.owner)
    if run.state != RunState.APPROVED:
        raise EcocompError([_("Only an approved run can be made final.")])
    reason = override_reason.strip()
    if run.gaps and not reason:
        raise EcocompError(
            [
                _(
                    "The run's data has %(count)s missing values: give a reason to make it "
                    "final anyway."
                )
                % {"count": len(run.gaps)}
            ]
        )
    if AllocationRun.objects.filter(
        rule_set__year=run.rule_set.year,
        rule_set__fund_name=run.rule_set.fund_name,
        state=RunState.FINAL,
    ).exists():
        raise EcocompError([_("This year's fund has a final allocation already.")])
    before = _run_data(run)
    run.state = RunState.FINAL
    run.override_reason = reason if run.gaps else ""
    run.finalised_by, run.finalised_at = _user(actor), timezone.now()
    run.save()
    record_change(
        actor=actor,
        action="ecocomp.finalise_run" if not run.gaps else "ecocomp.finalise_run_with_gaps",
        obj=run,
        before=before,
        after=_run_data(run),
    )
    return run


# --- horizontal ---------------------------------------------------------------------------


@transaction.atomic
def create_section(
    *,
    actor,
    owner,
    code: str,
    name: str,
    river: str,
    kind: str,
    region=None,
    inbound=None,
    is_sample=False,
) -> MonitoringSection:
    _check(actor, "manage_ecocomp", owner)
    section = MonitoringSection.objects.create(
        owner=owner,
        code=code,
        name=name,
        river=river,
        kind=kind,
        region=region,
        inbound=inbound,
        is_sample=is_sample,
    )
    record_change(
        actor=actor,
        action="ecocomp.create_section",
        obj=section,
        after={"code": code, "name": name},
    )
    return section


@dataclass(frozen=True)
class MonitoringImport:
    job: ImportJob
    flags: list  # imports.Problem: gaps and missing months


@transaction.atomic
def import_monitoring(*, actor, file_name: str, data: bytes, source: str = "") -> MonitoringImport:
    """Store monitoring values (all or nothing); gaps are stored as gaps and flagged. Each
    section's owner unit must be the importer's (``manage_ecocomp``)."""
    sections = {
        section.code: section for section in MonitoringSection.objects.select_related("owner")
    }
    table = imports.read_table(file_name, data)
    rows = imports.monitoring_rows(table, sections)
    for code in sorted({reading.section for reading in rows.readings}):
        _check(actor, "manage_ecocomp", sections[code].owner)
    job = ImportJob.objects.create(
        kind=ImportKind.MONITORING,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=rows.encoding,
        rows=len(table.rows),
        source=source[:300],
        imported_by=_user(actor),
        is_sample=all(sections[r.section].is_sample for r in rows.readings),
    )
    for reading in rows.readings:
        WaterQualityReading.objects.update_or_create(
            section=sections[reading.section],
            month=reading.month,
            indicator=reading.indicator,
            defaults={"value": reading.value, "suspect": reading.suspect, "import_job": job},
        )
    record_change(
        actor=actor,
        action="ecocomp.import_monitoring",
        obj=job,
        after={
            "file": job.file_name,
            "sha256": job.sha256,
            "readings": len(rows.readings),
            "gaps": len(rows.flags),
        },
    )
    return MonitoringImport(job, rows.flags)


@transaction.atomic
def create_agreement(*, actor, owner, **fields) -> BasinAgreement:
    _check(actor, "manage_ecocomp", owner)
    agreement = BasinAgreement.objects.create(owner=owner, **fields)
    record_change(
        actor=actor,
        action="ecocomp.create_agreement",
        obj=agreement,
        after={
            "name": agreement.name,
            "method": agreement.method,
            "amount": str(agreement.amount),
            "parameters": agreement.parameters,
        },
    )
    return agreement


def _months(period: str) -> list[str]:
    if len(period) == 7:
        return [period]
    return [f"{period}-{month:02}" for month in range(1, 13)]


def _samples(section: MonitoringSection, indicators, months) -> dict[str, list[horizontal.Sample]]:
    stored = {
        (reading.indicator, reading.month): reading
        for reading in WaterQualityReading.objects.filter(
            section=section, month__in=months, indicator__in=indicators
        )
    }
    data = {}
    for indicator in indicators:
        samples = []
        for month in months:
            reading = stored.get((indicator, month))
            samples.append(
                horizontal.Sample(month, None)
                if reading is None
                else horizontal.Sample(month, reading.value, reading.suspect)
            )
        data[indicator] = samples
    return data


def compute_settlement(agreement: BasinAgreement, period: str) -> horizontal.Settlement:
    """The pure settlement of ``agreement`` for ``period`` on the stored readings."""
    months = _months(period)
    data = _samples(agreement.section, agreement.indicators, months)
    p = agreement.parameters
    sides = horizontal.Sides(agreement.upstream, agreement.downstream)
    limits = horizontal.load_limits()

    def decimals(mapping):
        return {key: Decimal(str(value)) for key, value in mapping.items()}

    minimum = int(p.get("min_samples", len(months)))
    if agreement.method == Method.P_INDEX:
        return horizontal.p_index(
            agreement.section.name,
            sides,
            data,
            decimals(p["baselines"]),
            decimals(p["weights"]),
            Decimal(str(p["k0"])),
            agreement.amount,
            minimum,
        )
    if agreement.method == Method.CLASS_WITH_CHANGE:
        return horizontal.class_with_change(
            agreement.section.name,
            sides,
            data,
            limits,
            int(p["target_class"]),
            Decimal(str(p["per_class"])),
            p["change_indicators"],
            decimals(p["standards"]),
            Decimal(str(p["baseline_index"])),
            Decimal(str(p["per_point"])),
            agreement.cap if agreement.cap is not None else Decimal(str(p["change_cap"])),
            minimum,
        )
    if agreement.method == Method.CLASS_THRESHOLD:
        return horizontal.class_threshold(
            agreement.section.name,
            sides,
            data,
            limits,
            int(p["threshold_class"]),
            agreement.amount,
            minimum,
            bool(p.get("neutral_at_threshold", False)),
        )
    inbound = agreement.section.inbound
    if inbound is None:
        raise EcocompError(
            [_("The section %(name)s has no inbound section.") % {"name": agreement.section.name}]
        )
    return horizontal.inbound_comparison(
        agreement.section.name,
        inbound.name,
        agreement.upstream,
        agreement.downstream,
        data,
        _samples(inbound, agreement.indicators, months),
        limits,
        Decimal(str(p["per_class"])),
        minimum,
    )


@transaction.atomic
def settle(*, actor, agreement: BasinAgreement, period: str) -> Settlement:
    """The settlement statement of ``period`` (``2024`` or ``2024-03``), stored again when
    the readings changed; flags name every value left out."""
    _check(actor, "manage_ecocomp", agreement.owner)
    if not (len(period) in (4, 7) and period[:4].isdigit()):
        raise EcocompError([_("The period must be a year (2024) or a month (2024-03).")])
    year = int(period[:4])
    if not agreement.start_year <= year <= agreement.end_year:
        raise EcocompError(
            [
                _("The agreement runs from %(start)s to %(end)s.")
                % {"start": agreement.start_year, "end": agreement.end_year}
            ]
        )
    result = compute_settlement(agreement, period)
    settlement, _created = Settlement.objects.update_or_create(
        agreement=agreement,
        period=period,
        defaults={
            "payer": result.payer,
            "payee": result.payee,
            "amount": result.amount,
            "lines": [list(line) for line in result.lines],
            "flags": [[flag.message, _json_params(flag.params)] for flag in result.flags],
            "complete": result.complete,
            "settled_by": _user(actor),
        },
    )
    record_change(
        actor=actor,
        action="ecocomp.settle",
        obj=settlement,
        after={
            "period": period,
            "payer": result.payer,
            "payee": result.payee,
            "amount": str(result.amount),
            "complete": result.complete,
            "flags": len(result.flags),
        },
    )
    return settlement


def _json_params(params: Mapping) -> dict:
    return {key: str(value) for key, value in params.items()}
