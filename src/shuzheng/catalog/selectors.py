"""Reads of the catalog for its pages and API (issue 11, points 1, 4 and 7): which entries a
visitor may see, a resource with its parts, the version history as diffs, the quality
history, the statistics of the catalog office and the coverage of the one ledger (一本账).

Who reads what:

* a provider unit's staff (``manage_catalog`` for the provider) read their unit's entries;
* the catalog office (``review_catalog``) and administrators read every entry;
* the public reads only what ``catalog.grading.is_open_to_public`` admits, through the
  portal and the public API (never core data).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from shuzheng.accounts.authorization import has_perm
from shuzheng.audit.diff import DiffRow, diff_rows
from shuzheng.catalog.choices import Grade, JobState, OpenType, ShareType, State
from shuzheng.catalog.models import DataResource, QualityRun, ResourceVersion
from shuzheng.catalog.rendering import WordedRow, worded
from shuzheng.orgs.models import Unit

LISTED = ("category", "provider")


def reviews_catalog(user) -> bool:
    return has_perm(user, "review_catalog")


def can_read(user, resource: DataResource) -> bool:
    """The provider's staff and the catalog office read an entry in every state."""
    return reviews_catalog(user) or has_perm(user, "manage_catalog", resource.provider_id)


def can_manage(user, resource: DataResource) -> bool:
    return has_perm(user, "manage_catalog", resource.provider_id)


def readable_resources(user):
    """Every entry ``user`` reads in the catalog's own pages (not the portal): the office's
    and administrators' all, a provider's their unit's, nobody else's any."""
    rows = DataResource.objects.select_related(*LISTED)
    if reviews_catalog(user):
        return rows
    unit_id = getattr(user, "unit_id", None)
    if unit_id and has_perm(user, "manage_catalog", unit_id):
        return rows.filter(provider_id=unit_id)
    return rows.none()


def visible_resources(user):
    """What the JSON API lists to ``user``: the entries they read in the catalog's pages and
    the public ones (``DataResource.objects.open_to_public``; never core data) — for the
    public, the public ones only."""
    rows = DataResource.objects.select_related(*LISTED)
    if reviews_catalog(user):
        return rows
    public = Q(pk__in=DataResource.objects.open_to_public().values("pk"))
    unit_id = getattr(user, "unit_id", None)
    if unit_id and has_perm(user, "manage_catalog", unit_id):
        return rows.filter(public | Q(provider_id=unit_id))
    return rows.filter(public)


def provider_resources(user):
    """我的数据资源: the entries of the visitor's unit; every unit's for an administrator
    without a unit (who holds ``manage_catalog`` everywhere)."""
    rows = DataResource.objects.select_related(*LISTED)
    unit_id = getattr(user, "unit_id", None)
    if unit_id:
        return rows.filter(provider_id=unit_id)
    return rows if has_perm(user, "manage_catalog") else rows.none()


def manageable_units(user):
    """The units ``user`` may register entries for: their own, or every unit for a role
    whose ``manage_catalog`` is not bound to a unit."""
    unit_id = getattr(user, "unit_id", None)
    if unit_id:
        return Unit.objects.filter(pk=unit_id)
    return Unit.objects.all() if has_perm(user, "manage_catalog") else Unit.objects.none()


def review_queue():
    """Submitted entries (the review queue's rows before its FilterSet orders them)."""
    return DataResource.objects.select_related(*LISTED).filter(state=State.SUBMITTED)


def resource_with_parts(pk: int) -> DataResource:
    """A resource with its items, distributions, workflow and grade history (one query
    each), or DataResource.DoesNotExist."""
    return (
        DataResource.objects.select_related("category", "provider", "created_by")
        .prefetch_related(
            "fields",
            "distributions",
            "quality_checks__field",
            Prefetch("workflow_steps", to_attr="steps"),
            Prefetch("grade_changes", to_attr="grade_history"),
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class VersionDiff:
    """One version of a resource and what changed against the version before it."""

    version: ResourceVersion
    rows: list[DiffRow]
    unit_names: dict[str, str]

    @property
    def changed(self) -> list[WordedRow]:
        """The changed fields, worded in the reader's language."""
        return [worded(row, self.unit_names) for row in self.rows if row.changed]


def version_history(resource: DataResource) -> list[VersionDiff]:
    """Every kept version, newest first, each compared with the one before it
    (``audit.diff``: the same comparison the audit trail's side-by-side view uses)."""
    versions = list(resource.versions.select_related("author").order_by("number"))
    codes = {version.snapshot.get("provider") for version in versions}
    unit_names = dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))
    history = []
    previous = None
    for version in versions:
        rows = diff_rows(previous, version.snapshot)
        history.append(VersionDiff(version, rows, unit_names))
        previous = version.snapshot
    return history[::-1]


def quality_runs(resource: DataResource, limit: int = 20) -> list[QualityRun]:
    """The resource's latest runs with their results, newest first."""
    return list(
        resource.quality_runs.select_related("distribution").prefetch_related("results")[:limit]
    )


def latest_score(runs: list[QualityRun]):
    """The score of the newest finished run (the resource page's quality score)."""
    for run in runs:
        if run.score is not None:
            return run.score
    return None


def latest_finished(runs: list[QualityRun]) -> QualityRun | None:
    """The newest run that finished with results (its per-check table)."""
    return next((run for run in runs if run.state == JobState.DONE), None)


def score_trend(runs: list[QualityRun]) -> list[QualityRun]:
    """The scored runs, oldest first: the resource page's small trend."""
    return [run for run in reversed(runs) if run.score is not None]


@dataclass(frozen=True)
class Bar:
    """One bar of a statistics chart: its label, count and share of the largest (percent)."""

    key: str
    label: str
    count: int
    percent: int


def _bars(counts: dict[str, int], labels: dict[str, str]) -> list[Bar]:
    largest = max(counts.values(), default=0)
    return [
        Bar(key, labels.get(key, key), count, round(100 * count / largest) if largest else 0)
        for key, count in counts.items()
    ]


def _counted(field: str, rows) -> dict[str, int]:
    return {
        row[field]: row["n"]
        for row in rows.values(field).annotate(n=Count("id")).order_by("-n", field)
    }


def statistics() -> dict[str, list[Bar]]:
    """Counts of every entry not withdrawn, by provider unit, grade, share type and open
    type (the catalog office's statistics page)."""
    rows = DataResource.objects.exclude(state=State.WITHDRAWN)
    by_unit = rows.values("provider__name").annotate(n=Count("id")).order_by("-n", "provider__name")
    return {
        "unit": _bars({row["provider__name"]: row["n"] for row in by_unit}, {}),
        "grade": _bars(_counted("grade", rows), dict(Grade.choices)),
        "share_type": _bars(_counted("share_type", rows), dict(ShareType.choices)),
        "open_type": _bars(_counted("open_type", rows), dict(OpenType.choices)),
    }


def units_without_resources():
    """Coverage of the one ledger (一本账): the units of the registry with no entry (not
    counting withdrawn ones), by name."""
    registered = DataResource.objects.exclude(state=State.WITHDRAWN).values("provider_id")
    return Unit.objects.exclude(pk__in=registered).select_related("region").order_by("name")


def coverage() -> dict[str, int]:
    """How many units of the registry have registered at least one entry."""
    total = Unit.objects.count()
    missing = units_without_resources().count()
    return {"units": total, "registered": total - missing, "missing": missing}
