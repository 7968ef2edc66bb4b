"""Use cases of the organisations registry: loading it, reading it, resolving names.

The only place that writes regions, units and unit groups; every change is audited.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Count, Max, Prefetch
from django.utils.translation import gettext as _

from shuzheng.audit.services import record_change, snapshot
from shuzheng.orgs.filtersets import RegistryFilterSet
from shuzheng.orgs.models import Region, Unit, UnitGroup
from shuzheng.orgs.resolution import (
    GroupRecord,
    RegionRecord,
    Registry,
    RegistryDataError,
    Responsibility,
    UnitRecord,
    check_references,
    parents_first,
    records_from_data,
)

SAMPLE_REGISTRY = Path(__file__).resolve().parent / "data" / "ningxia.json"


# --- reading -----------------------------------------------------------------------------


def registry_overview() -> list[Region]:
    """Top-level regions with their child regions and unit counts, for the home page.

    Three queries whatever the size of the registry (home page query budget).
    """
    return list(
        Region.objects.filter(parent__isnull=True)
        .annotate(unit_count=Count("units"))
        .prefetch_related(
            Prefetch("children", queryset=Region.objects.annotate(unit_count=Count("units"))),
        )
    )


@dataclass
class RegionNode:
    """A region of the registry page, with its units and child regions."""

    region: Region
    units: list[Unit] = field(default_factory=list)
    children: list[RegionNode] = field(default_factory=list)

    @property
    def unit_count(self) -> int:
        return len(self.units) + sum(child.unit_count for child in self.children)


def registry_tree(filterset: RegistryFilterSet) -> list[RegionNode]:
    """The region tree with the units ``filterset`` keeps (the registry page's ``?q=``).

    Unfiltered, every region is shown. Filtered, a region is kept when it is shown whole
    (its name matches: :meth:`RegistryFilterSet.whole_regions`) or on the path to a unit
    kept; two queries unfiltered, whatever the size.
    """
    regions = list(Region.objects.order_by("code"))
    units = list(filterset.qs.order_by("code"))
    nodes = {region.pk: RegionNode(region) for region in regions}
    for unit in units:
        nodes[unit.region_id].units.append(unit)
    roots = []
    for region in regions:
        node = nodes[region.pk]
        if region.parent_id in nodes:
            nodes[region.parent_id].children.append(node)
        else:
            roots.append(node)
    if not filterset.value("q"):
        return roots
    return _prune(roots, filterset.whole_regions())


def _prune(nodes: list[RegionNode], whole_regions: set[int]) -> list[RegionNode]:
    kept = []
    for node in nodes:
        node.children = _prune(node.children, whole_regions)
        if node.units or node.children or node.region.pk in whole_regions:
            kept.append(node)
    return kept


def get_unit(code: str) -> Unit:
    """A unit with its region, parent and children; raises Unit.DoesNotExist."""
    return (
        Unit.objects.select_related("region", "parent")
        .prefetch_related(Prefetch("children", queryset=Unit.objects.order_by("code")))
        .get(code=code)
    )


def get_region(code: str) -> Region:
    return Region.objects.select_related("parent").get(code=code)


# --- the resolver ------------------------------------------------------------------------

_resolver_lock = threading.Lock()
_resolver_cache: dict[str, object] = {"fingerprint": None, "registry": None}


def get_resolver() -> Registry:
    """The pure :class:`Registry` built from the database, cached in this process.

    The cache is keyed on a fingerprint of the three tables (row counts and latest
    ``updated_at``), so a change made by any process — the loader, the admin, another
    worker — is seen by the next call.
    """
    fingerprint = _registry_fingerprint()
    with _resolver_lock:
        if _resolver_cache["fingerprint"] != fingerprint:
            _resolver_cache["registry"] = _registry_from_database()
            _resolver_cache["fingerprint"] = fingerprint
        return _resolver_cache["registry"]


def _registry_fingerprint() -> tuple:
    return tuple(
        tuple(model.objects.aggregate(count=Count("pk"), latest=Max("updated_at")).values())
        for model in (Region, Unit, UnitGroup)
    )


def _registry_from_database() -> Registry:
    regions, units, groups = _database_records()
    return Registry(regions.values(), units.values(), groups.values())


def _database_records() -> tuple[dict, dict, dict]:
    regions = {
        code: RegionRecord(code=code, name=name, level=level, short_name=short, parent=parent)
        for code, name, level, short, parent in Region.objects.values_list(
            "code", "name", "level", "short_name", "parent__code"
        )
    }
    units = {
        code: UnitRecord(
            code=code,
            name=name,
            kind=kind,
            region=region,
            short_name=short,
            aliases=tuple(aliases or ()),
            parent=parent,
        )
        for code, name, kind, region, short, aliases, parent in Unit.objects.values_list(
            "code", "name", "kind", "region__code", "short_name", "aliases", "parent__code"
        )
    }
    groups = {
        key: GroupRecord(
            key=key,
            name=name,
            scope=scope,
            aliases=tuple(aliases or ()),
            member_levels=tuple(levels or ()),
        )
        for key, name, scope, aliases, levels in UnitGroup.objects.values_list(
            "key", "name", "scope__code", "aliases", "member_levels"
        )
    }
    return regions, units, groups


def resolve_responsibility(text: str) -> Responsibility:
    """How a 责任单位 text resolves against the registry (see orgs.resolution)."""
    return get_resolver().parse_responsibility(text)


# --- loading -----------------------------------------------------------------------------


@dataclass
class LoadSummary:
    """What a load changed, per kind of record: created, updated, unchanged."""

    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {
            kind: {"created": 0, "updated": 0, "unchanged": 0}
            for kind in ("regions", "units", "groups")
        }
    )

    def count(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    def __str__(self) -> str:
        return "; ".join(
            f"{kind}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for kind, c in self.counts.items()
        )


def load_registry(data: dict, actor=None) -> LoadSummary:
    """Create or update regions, units and unit groups from the JSON structure (docs/orgs.md).

    Idempotent: records are matched by code (groups by key) and only changed ones are
    written and audited.  Everything is checked first — fields, duplicates, references to
    regions and units in the file or already in the database, cycles — and bad data raises
    :class:`RegistryDataError` listing every problem, with nothing changed.
    """
    regions, units, groups = records_from_data(data)
    with transaction.atomic():
        _check_against_database(regions, units, groups)
        summary = LoadSummary()
        region_ids = _upsert_regions(regions, actor, summary)
        _upsert_units(units, region_ids, actor, summary)
        _upsert_groups(groups, region_ids, actor, summary)
    return summary


def load_registry_file(path: str | Path, actor=None) -> LoadSummary:
    """Load a registry JSON file; unreadable files raise RegistryDataError."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise RegistryDataError([f"cannot read {path}: {error.strerror}"]) from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RegistryDataError([f"{path} is not UTF-8 JSON: {error}"]) from error
    return load_registry(data, actor=actor)


def load_sample_registry() -> str:
    """Load the shipped Ningxia registry (``make run`` does, through loadsample); idempotent."""
    return str(load_registry_file(SAMPLE_REGISTRY))


def _check_against_database(regions, units, groups) -> None:
    """The file's records over the database's must form a consistent registry."""
    stored_regions, stored_units, stored_groups = _database_records()
    merged_regions = stored_regions | {region.code: region for region in regions}
    merged_units = stored_units | {unit.code: unit for unit in units}
    merged_groups = stored_groups | {group.key: group for group in groups}
    problems = check_references(merged_regions, merged_units, merged_groups)
    owners: dict[str, str] = {}
    for unit in merged_units.values():
        if unit.name in owners:
            problems.append(
                f"unit {unit.code}: name '{unit.name}' is already used by unit {owners[unit.name]}"
            )
        owners[unit.name] = unit.code
    if problems:
        raise RegistryDataError(problems)


def _upsert_regions(records, actor, summary) -> dict[str, int]:
    stored = {region.code: region for region in Region.objects.all()}
    ids = {code: region.pk for code, region in stored.items()}
    for record in parents_first(records):
        values = {
            "name": record.name,
            "short_name": record.short_name,
            "level": record.level,
            "parent_id": ids[record.parent] if record.parent else None,
        }
        region = _upsert(Region, stored.get(record.code), {"code": record.code}, values, actor)
        summary.count("regions", region.outcome)
        ids[record.code] = region.pk
    return ids


def _upsert_units(records, region_ids, actor, summary) -> None:
    stored = {unit.code: unit for unit in Unit.objects.all()}
    ids = {code: unit.pk for code, unit in stored.items()}
    for record in parents_first(records):
        values = {
            "name": record.name,
            "short_name": record.short_name,
            "aliases": list(record.aliases),
            "kind": record.kind,
            "region_id": region_ids[record.region],
            "parent_id": ids[record.parent] if record.parent else None,
        }
        unit = _upsert(Unit, stored.get(record.code), {"code": record.code}, values, actor)
        summary.count("units", unit.outcome)
        ids[record.code] = unit.pk


def _upsert_groups(records, region_ids, actor, summary) -> None:
    stored = {group.key: group for group in UnitGroup.objects.all()}
    for record in records:
        values = {
            "name": record.name,
            "aliases": list(record.aliases),
            "scope_id": region_ids[record.scope],
            "member_levels": list(record.member_levels),
        }
        group = _upsert(UnitGroup, stored.get(record.key), {"key": record.key}, values, actor)
        summary.count("groups", group.outcome)


def _upsert(model, instance, identity: dict, values: dict, actor):
    """Create, update or leave one record; sets ``instance.outcome`` for the summary."""
    label = model._meta.model_name
    if instance is None:
        instance = model.objects.create(**identity, **values)
        record_change(
            actor=actor, action=f"orgs.{label}.create", obj=instance, after=snapshot(instance)
        )
        instance.outcome = "created"
        return instance
    if all(getattr(instance, name) == value for name, value in values.items()):
        instance.outcome = "unchanged"
        return instance
    before = snapshot(instance)
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()
    record_change(
        actor=actor,
        action=f"orgs.{label}.update",
        obj=instance,
        before=before,
        after=snapshot(instance),
    )
    instance.outcome = "updated"
    return instance


# --- edits through the admin -----------------------------------------------------------


def save_record(instance: Region | Unit | UnitGroup, actor) -> None:
    """Save one registry record edited in the admin, audited with its state before."""
    label = instance._meta.model_name
    with transaction.atomic():
        before = None
        if instance.pk is not None:
            stored = type(instance).objects.filter(pk=instance.pk).first()
            before = snapshot(stored) if stored is not None else None
        instance.save()
        action = f"orgs.{label}.{'update' if before is not None else 'create'}"
        record_change(
            actor=actor, action=action, obj=instance, before=before, after=snapshot(instance)
        )


def delete_record(instance: Region | Unit | UnitGroup, actor) -> None:
    """Delete one registry record from the admin, audited with its last state.

    Regions and units still referred to are protected (ProtectedError), and nothing is
    recorded then.
    """
    label = instance._meta.model_name
    with transaction.atomic():
        before = snapshot(instance)
        pk, text = instance.pk, str(instance)
        instance.delete()
        record_change(
            actor=actor,
            action=f"orgs.{label}.delete",
            object_type=instance._meta.label_lower,
            object_id=pk,
            object_repr=text,
            before=before,
        )


@dataclass
class ResolvedName:
    """One resolution with the units it names, for pages (units in one query per text)."""

    resolution: object
    units: list[Unit]


def describe_responsibility(responsibility: Responsibility) -> list[tuple[str, list]]:
    """(role, [ResolvedName]) for lead, owner and supporting, with the Unit rows loaded."""
    codes = {
        code
        for resolutions in responsibility.by_role().values()
        for resolution in resolutions
        for code in resolution.unit_codes
    }
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
    return [
        (
            role,
            [
                ResolvedName(resolution, [units[c] for c in resolution.unit_codes if c in units])
                for resolution in resolutions
            ],
        )
        for role, resolutions in responsibility.by_role().items()
    ]


# --- unit pickers by name (issue 14, point 5) --------------------------------------------

#: At most this many suggestions under a unit box.
SUGGESTION_LIMIT = 15


class UnitNotFound(ValueError):
    """A unit box's text names no unit, or several; ``candidates`` are the names it could
    mean (empty when nothing matched)."""

    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.candidates = candidates


def unit_named(text: str) -> Unit:
    """The one unit ``text`` names: its code, the resolver's exact name (full, short or alias,
    or a region's name for its government), else the only unit whose name contains it.

    Forms ask for units by name, not by number (issue 14, point 5); nothing is guessed: a text
    that several units match is refused with their names, so the person picks one."""
    text = (text or "").strip()
    if not text:
        raise UnitNotFound(_("Give the unit's name."), [])
    by_code = Unit.objects.select_related("region").filter(code=text).first()
    if by_code is not None:
        return by_code
    resolver = get_resolver()
    resolution = resolver.resolve(text)
    codes = resolution.unit_codes if resolution.resolved and not resolution.group else []
    if not codes:
        codes = [unit.code for unit in resolver.loosely_named(text)]
    if len(codes) == 1:
        return Unit.objects.select_related("region").get(code=codes[0])
    if not codes:
        raise UnitNotFound(_("No unit is named “%(text)s”.") % {"text": text}, [])
    names = sorted(resolver.units[code].name for code in codes)
    raise UnitNotFound(
        _("Several units match “%(text)s”; write the full name of one of them: ") % {"text": text},
        names[:SUGGESTION_LIMIT],
    )


def unit_suggestions(text: str) -> list[str]:
    """Unit names for the autocomplete under a unit box: the names containing ``text``
    (full, short or alias), shortest first."""
    text = (text or "").strip()
    if not text:
        return []
    resolver = get_resolver()
    units = resolver.loosely_named(text) or [
        unit for unit in resolver.units.values() if any(text in name for name in unit.all_names)
    ]
    return sorted({unit.name for unit in units}, key=lambda name: (len(name), name))[
        :SUGGESTION_LIMIT
    ]
