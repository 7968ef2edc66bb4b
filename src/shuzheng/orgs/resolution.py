"""The one resolver for unit names: who a document means by "自治区发展改革委" or "各市、县（区）".

Pure Python, no Django: the document parser, the services and the pages all use the same
:class:`Registry`, built from plain records (the shipped JSON, or rows from the database).

The rules (docs/orgs.md has examples):

* A name is looked up after normalisation (:func:`normalise_name`): parentheses unified to
  full width, white space removed, a trailing 等 / 等部门 / 等部门（单位） dropped.  It matches a
  unit's full name, short name or an alias; a region's full name means that region's
  people's government (银川市 → 银川市人民政府); a group name means a unit *group*.
* Nothing is guessed: a name that matches nothing, or matches several units, is reported
  unresolved, by name.
* Groups with a rule (各市、县（区）: the governments of every city and county) list their
  members; groups without one (自治区有关部门（单位）) are reported as open groups, with no
  members invented.
* Lists are split at 、 ， , 及 (and at 和 before 各…).  Names written without their prefix
  carry it over from the name before: "自治区党委网信办，发展改革委" means 自治区发展改革委.
* Roles (GLOSSARY, 责任单位) come from the one grammar of shuzheng.text.responsibility:
  牵头 / 会同 / 牵头单位： → lead; 负责 / 按职责分工负责 / 落实 → owner; 配合 / 参与 / 指导 /
  配合单位： → supporting.  Names with no role word are the lead when supporting units are
  named and no lead ("X、Y，各市、县（区）人民政府配合"), otherwise owners (the inline
  〔责任单位：…〕 form).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from shuzheng.text.responsibility import LEAD, OWNER, SUPPORTING, role_clauses

GOVERNMENT_KIND = "government"
REGION_LEVELS = ("province", "city", "county", "township", "village")
UNIT_KINDS = (
    "government",
    "government_office",
    "department",
    "party",
    "congress",
    "judicial",
    "vertical",
    "mass_organisation",
    "coordination",
    "institution",
)


_TRAILING_ETC = re.compile(r"等(?:有关|相关)?(?:部门|单位)?(?:（单位）)?$")
_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ";": "；", ":": "："})
_SPACES = re.compile(r"\s+")
_LIST_SEPARATORS = "、，及"
# Prefixes under which a name never takes one carried over from the name before it.
_ANCHOR_PREFIXES = ("中共", "国家", "中国", "各", "承担", "全区", "区直")
# Organ prefixes that follow the region's self-reference (自治区党委组织部、宣传部 …).
_ORGAN_WORDS = ("党委", "人大常委会", "人大")


class RegistryDataError(ValueError):
    """The registry data is unusable; ``problems`` lists every reason, in order."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class RegionRecord:
    code: str
    name: str
    level: str
    short_name: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class UnitRecord:
    code: str
    name: str
    kind: str
    region: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    parent: str | None = None

    @property
    def all_names(self) -> tuple[str, ...]:
        """Full name, short name and aliases, the empty ones left out."""
        return tuple(name for name in (self.name, self.short_name, *self.aliases) if name)


@dataclass(frozen=True)
class GroupRecord:
    """A unit group as documents write it (各市、县（区）).

    ``member_levels`` names the region levels whose people's governments form the group,
    within ``scope``; an empty tuple means the group has no fixed membership.
    """

    key: str
    name: str
    scope: str
    aliases: tuple[str, ...] = ()
    member_levels: tuple[str, ...] = ()


@dataclass
class Resolution:
    """What one unit name, as written, refers to.

    ``name`` is the name as the text means it (with a carried prefix, e.g. 自治区发展改革委
    for "发展改革委"), ``written`` the text as it stands.  Maps one to one onto the document
    parser's ``UnitRef`` (name, unit_codes, group, resolved).
    """

    name: str
    written: str = ""
    unit_codes: list[str] = field(default_factory=list)
    group: str | None = None
    group_name: str | None = None
    open_group: bool = False  # a named group with no fixed membership: members unknown
    resolved: bool = False
    matched_by: str = ""  # name, short_name, alias, region, group
    candidates: list[str] = field(default_factory=list)  # unit codes when ambiguous

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Responsibility:
    """A 责任单位 text split into lead, owner and supporting units (GLOSSARY)."""

    raw: str
    lead: list[Resolution] = field(default_factory=list)
    owner: list[Resolution] = field(default_factory=list)
    supporting: list[Resolution] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)

    def by_role(self) -> dict[str, list[Resolution]]:
        return {LEAD: self.lead, OWNER: self.owner, SUPPORTING: self.supporting}

    def to_dict(self) -> dict:
        return asdict(self)


def normalise_name(text: str) -> str:
    """The lookup form of a unit name: full-width parentheses, no spaces, no trailing 等….

    The task tables mix full- and half-width punctuation and break lines inside names.
    """
    name = _SPACES.sub("", text.translate(_WIDTH)).strip("。；")
    return _TRAILING_ETC.sub("", name)


class Registry:
    """Regions, units and unit groups, indexed for resolving names."""

    def __init__(
        self,
        regions: Iterable[RegionRecord],
        units: Iterable[UnitRecord],
        groups: Iterable[GroupRecord] = (),
    ):
        self.regions: dict[str, RegionRecord] = {region.code: region for region in regions}
        self.units: dict[str, UnitRecord] = {unit.code: unit for unit in units}
        self.groups: dict[str, GroupRecord] = {group.key: group for group in groups}
        problems = check_references(self.regions, self.units, self.groups)
        if problems:
            raise RegistryDataError(problems)
        self.self_prefix = _self_reference_prefix(self.regions)
        self._anchors = tuple(
            prefix
            for prefix in (self.self_prefix, *self._root_short_names(), *_ANCHOR_PREFIXES)
            if prefix
        )
        self._governments = self._index_governments()
        self._index: dict[str, dict[tuple[str, str], str]] = {}
        self._build_index()
        self._protected = sorted(
            (key for key in self._index if any(sep in key for sep in _LIST_SEPARATORS)),
            key=len,
            reverse=True,
        )

    @classmethod
    def from_data(cls, data: Mapping) -> Registry:
        """Build from the JSON structure of ``orgs/data/*.json`` (docs/orgs.md)."""
        regions, units, groups = records_from_data(data)
        return cls(regions, units, groups)

    # --- lookups -----------------------------------------------------------------------

    def resolve(self, name: str) -> Resolution:
        """Resolve one name as written; never guesses (see the module docstring)."""
        key = normalise_name(name)
        resolution = Resolution(name=key, written=name.strip())
        targets = self._index.get(key, {})
        if len(targets) != 1:
            resolution.candidates = sorted(code for kind, code in targets if kind == "unit")
            return resolution
        ((kind, code), matched_by) = next(iter(targets.items()))
        resolution.resolved = True
        resolution.matched_by = matched_by
        if kind == "unit":
            resolution.unit_codes = [code]
        else:
            group = self.groups[code]
            resolution.group = group.key
            resolution.group_name = group.name
            resolution.open_group = not group.member_levels
            resolution.unit_codes = self.group_members(group.key)
        return resolution

    def canonical_name(self, name: str) -> str:
        """The one name a unit is shown and counted by (search facets, issue 14): the full
        name of the unit ``name`` resolves to, the group's name for a group, else the name
        as written in its lookup form. "自治区财政厅" and "宁夏回族自治区财政厅" are one
        unit, so one facet value."""
        resolution = self.resolve(name)
        if resolution.resolved and resolution.group is None and resolution.unit_codes:
            return self.units[resolution.unit_codes[0]].name
        if resolution.resolved and resolution.group_name:
            return resolution.group_name
        return resolution.name

    def loosely_named(self, text: str) -> list[UnitRecord]:
        """The units ``text`` loosely names: equal to a code, a full or short name or an
        alias, or contained in the full name (财政厅 → 宁夏回族自治区财政厅). Issue 4, item 2:
        the search filter "机关:财政厅" finds 自治区财政厅. Unlike :meth:`resolve` this may
        name many units: a filter widens, a responsibility must not be guessed."""
        text = text.strip()
        return [
            unit
            for unit in self.units.values()
            if text == unit.code or text in unit.all_names or text in unit.name
        ]

    def group_members(self, key: str) -> list[str]:
        """Codes of the governments of the group's member regions, by region code."""
        group = self.groups[key]
        if not group.member_levels:
            return []
        return [
            self._governments[region.code]
            for region in sorted(self.regions.values(), key=lambda region: region.code)
            if region.level in group.member_levels
            and region.code in self._governments
            and self.is_within(region.code, group.scope)
        ]

    def is_within(self, region_code: str, ancestor_code: str) -> bool:
        code: str | None = region_code
        while code is not None:
            if code == ancestor_code:
                return True
            code = self.regions[code].parent
        return False

    def government_of(self, region_code: str) -> str | None:
        return self._governments.get(region_code)

    # --- lists and responsibilities ------------------------------------------------------

    def split_unit_names(self, text: str) -> list[str]:
        """Split a list of unit names, carrying the prefix over to names written without it.

        "自治区党委网信办, 发展改革委、公安厅" → 自治区党委网信办, 自治区发展改革委, 自治区公安厅.
        """
        return [name for _written, name in self._read_names([text])[0]]

    def parse_responsibility(self, text: str) -> Responsibility:
        """Split a 责任单位 text into lead / owner / supporting units (GLOSSARY roles).

        Seed task table, column 责任单位: "自治区农业农村厅牵头，各市、县（区）具体负责，
        自治区有关部门（单位）配合".  Names with no role word after them are owners, as in
        the inline 〔责任单位：自治区财政厅、水利厅，各市、县（区）〕 form.
        """
        clauses = role_clauses(text)
        names_per_clause = self._read_names([clause.names for clause in clauses])
        responsibility = Responsibility(raw=text)
        roles = responsibility.by_role()
        for clause, names in zip(clauses, names_per_clause, strict=True):
            role = clause.role
            for written, name in names:
                resolution = self.resolve(name)
                resolution.written = written
                roles[role].append(resolution)
                if not resolution.resolved and resolution.name not in responsibility.unresolved:
                    responsibility.unresolved.append(resolution.name)
        return responsibility

    # --- internals ----------------------------------------------------------------------

    def _root_short_names(self) -> list[str]:
        return [
            region.short_name
            for region in self.regions.values()
            if region.parent is None and region.short_name
        ]

    def _index_governments(self) -> dict[str, str]:
        governments: dict[str, list[str]] = {}
        for unit in self.units.values():
            if unit.kind == GOVERNMENT_KIND:
                governments.setdefault(unit.region, []).append(unit.code)
        # A region with several government units is ambiguous: it names none of them.
        return {region: codes[0] for region, codes in governments.items() if len(codes) == 1}

    def _build_index(self) -> None:
        def add(text: str, target: tuple[str, str], matched_by: str) -> None:
            key = normalise_name(text)
            if key:
                self._index.setdefault(key, {}).setdefault(target, matched_by)

        for unit in self.units.values():
            add(unit.name, ("unit", unit.code), "name")
        for unit in self.units.values():
            if unit.short_name:
                add(unit.short_name, ("unit", unit.code), "short_name")
            for alias in unit.aliases:
                add(alias, ("unit", unit.code), "alias")
        for region in self.regions.values():
            government = self._governments.get(region.code)
            if government:
                add(region.name, ("unit", government), "region")
        for group in self.groups.values():
            for name in (group.name, *group.aliases):
                add(name, ("group", group.key), "group")

    def _read_names(self, chunks: list[str]) -> list[list[tuple[str, str]]]:
        """Names per chunk as (written, meant) pairs; the prefix carries across chunks."""
        carried: list[str] = []
        result = []
        for chunk in chunks:
            names = []
            separator = "，"
            for written, next_separator in self._segments(chunk):
                if separator != "、":
                    carried = carried[-1:]  # across ， 及 和 only the region prefix carries
                segment = normalise_name(written)
                separator = next_separator
                if not segment:
                    continue
                name = self._with_carried_prefix(segment, carried)
                carried = self._prefixes_of(name) or carried
                names.append((written, name))
            result.append(names)
        return result

    def _segments(self, text: str) -> list[tuple[str, str]]:
        """Split at list separators, keeping names that contain one (各市、县（区）) whole."""
        text = _SPACES.sub("", text.translate(_WIDTH))
        segments: list[tuple[str, str]] = []
        current: list[str] = []
        position = 0
        while position < len(text):
            protected = next(
                (name for name in self._protected if text.startswith(name, position)), None
            )
            if protected:
                current.append(protected)
                position += len(protected)
                continue
            char = text[position]
            if char in _LIST_SEPARATORS or text.startswith("和各", position):
                segments.append(("".join(current), char))
                current = []
            else:
                current.append(char)
            position += 1
        segments.append(("".join(current), "，"))
        return [(written, separator) for written, separator in segments if written]

    def _with_carried_prefix(self, segment: str, carried: list[str]) -> str:
        """发展改革委 after 自治区党委网信办 → 自治区发展改革委: the longest carried prefix
        that gives a known name wins, else the region's own prefix."""
        if not carried or segment.startswith(self._anchors) or self._names_place(segment):
            return segment
        for prefix in carried:
            if prefix + segment in self._index:
                return prefix + segment
        return carried[-1] + segment

    def _names_place(self, segment: str) -> bool:
        """银川市, 5市: names of regions and groups never take a carried prefix."""
        return any(
            matched_by in ("region", "group")
            for matched_by in self._index.get(segment, {}).values()
        )

    def _prefixes_of(self, name: str) -> list[str]:
        if not self.self_prefix or not name.startswith(self.self_prefix):
            return []
        for organ in _ORGAN_WORDS:
            if name.startswith(self.self_prefix + organ):
                return [self.self_prefix + organ, self.self_prefix]
        return [self.self_prefix]


def _self_reference_prefix(regions: Mapping[str, RegionRecord]) -> str:
    """How documents of the top region name themselves: 自治区 (宁夏回族自治区), 省 (…省).

    Municipalities (…市) get none: 市 also begins ordinary names (市场监管局).
    """
    roots = [region for region in regions.values() if region.parent is None]
    if len(roots) != 1:
        return ""
    for suffix in ("自治区", "省"):
        if roots[0].name.endswith(suffix):
            return suffix
    return ""


def check_references(
    regions: Mapping[str, RegionRecord],
    units: Mapping[str, UnitRecord],
    groups: Mapping[str, GroupRecord],
) -> list[str]:
    """Every reference that points nowhere, every unknown level or kind, every cycle."""
    problems = []
    for region in regions.values():
        if region.level not in REGION_LEVELS:
            problems.append(f"region {region.code}: unknown level '{region.level}'")
        if region.parent is not None and region.parent not in regions:
            problems.append(f"region {region.code}: unknown parent region '{region.parent}'")
    for unit in units.values():
        if unit.kind not in UNIT_KINDS:
            problems.append(f"unit {unit.code}: unknown kind '{unit.kind}'")
        if unit.region not in regions:
            problems.append(f"unit {unit.code}: unknown region '{unit.region}'")
        if unit.parent is not None and unit.parent not in units:
            problems.append(f"unit {unit.code}: unknown parent unit '{unit.parent}'")
    for group in groups.values():
        if group.scope not in regions:
            problems.append(f"group {group.key}: unknown scope region '{group.scope}'")
        for level in group.member_levels:
            if level not in REGION_LEVELS:
                problems.append(f"group {group.key}: unknown member level '{level}'")
    problems += _cycles("region", {code: region.parent for code, region in regions.items()})
    problems += _cycles("unit", {code: unit.parent for code, unit in units.items()})
    return problems


def _cycles(label: str, parents: Mapping[str, str | None]) -> list[str]:
    problems = []
    for start in parents:
        seen = {start}
        code = parents[start]
        while code is not None and code in parents:
            if code in seen:
                problems.append(f"{label} {start}: its parents form a cycle")
                break
            seen.add(code)
            code = parents[code]
    return problems


def parents_first(records: Iterable, parent_of=lambda record: record.parent) -> list:
    """Records ordered so that every record comes after its parent (when both are given)."""
    pending = list(records)
    codes = {getattr(record, "code", None) for record in pending}
    placed: set = set()
    ordered = []
    while pending:
        ready = [
            record
            for record in pending
            if parent_of(record) is None
            or parent_of(record) not in codes
            or parent_of(record) in placed
        ]
        if not ready:  # a cycle; check_references reports it
            return ordered + pending
        for record in ready:
            ordered.append(record)
            placed.add(record.code)
        pending = [record for record in pending if record.code not in placed]
    return ordered


def records_from_data(
    data: Mapping,
) -> tuple[list[RegionRecord], list[UnitRecord], list[GroupRecord]]:
    """Read and check the JSON structure; raises RegistryDataError listing every problem.

    Checks here need no other data: required fields, duplicate codes and names.  References
    are checked by :func:`check_references` (and by the loader against the database).
    """
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise RegistryDataError(["the registry data must be a JSON object"])
    if not any(key in data for key in ("regions", "units", "groups")):
        raise RegistryDataError(["the registry data has no 'regions', 'units' or 'groups'"])
    regions = _read_records(data, "regions", _region_record, problems)
    units = _read_records(data, "units", _unit_record, problems)
    groups = _read_records(data, "groups", _group_record, problems)
    _find_duplicates("region code", [region.code for region in regions], problems)
    _find_duplicates("unit code", [unit.code for unit in units], problems)
    _find_duplicates("unit name", [unit.name for unit in units], problems)
    _find_duplicates("group key", [group.key for group in groups], problems)
    if problems:
        raise RegistryDataError(problems)
    return regions, units, groups


def _read_records(data, key, reader, problems) -> list:
    items = data.get(key, [])
    if not isinstance(items, list):
        problems.append(f"'{key}' must be a list")
        return []
    records = []
    for number, item in enumerate(items, start=1):
        try:
            records.append(reader(item))
        except (KeyError, TypeError, ValueError) as error:
            problems.append(f"{key}[{number}]: {error}")
    return records


def _text(item: Mapping, key: str, *, required: bool = True) -> str:
    value = item.get(key)
    if value is None or value == "":
        if required:
            raise ValueError(f"'{key}' is required")
        return ""
    if not isinstance(value, str):
        raise TypeError(f"'{key}' must be a string")
    return value.strip()


def _optional(item: Mapping, key: str) -> str | None:
    return _text(item, key, required=False) or None


def _texts(item: Mapping, key: str) -> tuple[str, ...]:
    values = item.get(key) or []
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise TypeError(f"'{key}' must be a list of strings")
    return tuple(value.strip() for value in values if value.strip())


def _region_record(item: Mapping) -> RegionRecord:
    return RegionRecord(
        code=_text(item, "code"),
        name=_text(item, "name"),
        level=_text(item, "level"),
        short_name=_text(item, "short_name", required=False),
        parent=_optional(item, "parent"),
    )


def _unit_record(item: Mapping) -> UnitRecord:
    return UnitRecord(
        code=_text(item, "code"),
        name=_text(item, "name"),
        kind=_text(item, "kind"),
        region=_text(item, "region"),
        short_name=_text(item, "short_name", required=False),
        aliases=_texts(item, "aliases"),
        parent=_optional(item, "parent"),
    )


def _group_record(item: Mapping) -> GroupRecord:
    return GroupRecord(
        key=_text(item, "key"),
        name=_text(item, "name"),
        scope=_text(item, "scope"),
        aliases=_texts(item, "aliases"),
        member_levels=_texts(item, "member_levels"),
    )


def _find_duplicates(label: str, values: list[str], problems: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            problems.append(f"duplicate {label} '{value}'")
        seen.add(value)
