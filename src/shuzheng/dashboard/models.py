"""The dashboard's own tables: assessment rules per year, and the per-day snapshot of the
ledger's counts that keeps the dashboard fast (issue 5, items 3 and 5).

The ledger itself (tasks, milestones, reports, and each task's stored light) belongs to
``tasks``; the snapshot keeps only the counts of those lights, and says when it was computed.
The lists behind the counts read the tasks' stored lights directly.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentRules(models.Model):
    """The year's indicator system (考核指标体系, seed task 121) as validated JSON.

    Written only through ``dashboard.services.save_rules``, which checks the JSON with
    ``tasks.scoring.ScoringRules.from_dict`` and records the change in the audit trail.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    rules = models.JSONField(_("rules"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("assessment rules")
        verbose_name_plural = _("assessment rules")

    def __str__(self) -> str:
        return f"{self.year}: {self.rules.get('title', '')}"


class DashboardSnapshot(models.Model):
    """The dashboard's numbers as of one day, computed from the whole ledger.

    Lights depend on the day, so a snapshot belongs to one ``as_of`` date; ``stale`` is set
    when the ledger changes after ``computed_at`` (``tasks.changes`` tells the dashboard).
    The page always says how fresh it is.
    """

    as_of = models.DateField(_("as of"), unique=True)
    computed_at = models.DateTimeField(_("computed at"))
    duration_ms = models.PositiveIntegerField(_("computation time (ms)"))
    stale = models.BooleanField(_("ledger changed since"), default=False)
    summary = models.JSONField(_("summary"))

    class Meta:
        ordering = ["-as_of"]
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")

    def __str__(self) -> str:
        return f"{self.as_of} ({self.computed_at:%Y-%m-%d %H:%M})"
