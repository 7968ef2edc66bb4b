"""The one permission vocabulary of the platform: roles, named permissions, who holds what.

Pure data and rules, no Django import, so that views, API operations, services, the CLI,
``docs/security.md`` and the permission-matrix tests all read the same table (issue 2,
"Foundation": one permission vocabulary). The Django side (``has_perm``, ``@require_perm``,
``@api_requires``) lives in ``shuzheng.accounts.authorization``.
"""

from __future__ import annotations

from dataclasses import dataclass

ANONYMOUS = "anonymous"
CITIZEN = "citizen"
ENTERPRISE = "enterprise"
UNIT_STAFF = "unit_staff"
UNIT_HEAD = "unit_head"
SUPERVISOR = "supervisor"
ADMINISTRATOR = "administrator"

#: Every role, the public first; the signed-in ones equal ``accounts.choices.Role``.
ROLES: tuple[str, ...] = (
    ANONYMOUS,
    CITIZEN,
    ENTERPRISE,
    UNIT_STAFF,
    UNIT_HEAD,
    SUPERVISOR,
    ADMINISTRATOR,
)

#: Roles whose unit-bound permissions stop at the unit they belong to.
UNIT_BOUND_ROLES = frozenset({UNIT_STAFF, UNIT_HEAD})

READ = "read"
WRITE = "write"
#: Token scopes; ``write`` implies ``read``.
SCOPES: tuple[str, ...] = (READ, WRITE)


@dataclass(frozen=True)
class Permission:
    name: str
    description: str
    #: The token scope an API client needs to use it: reads need ``read``, changes ``write``.
    scope: str
    #: True when the permission is exercised *for a unit* and unit staff and unit heads hold
    #: it only for their own unit.
    unit_bound: bool = False


PERMISSIONS: tuple[Permission, ...] = (
    Permission("view_published", "Read published documents, tasks and open data.", READ),
    Permission("view_own_account", "See one's own account, role and API tokens.", READ),
    Permission(
        "manage_own_account", "Change one's password; create and revoke own API tokens.", WRITE
    ),
    Permission("manage_own_subscriptions", "Subscribe to documents and topics.", WRITE),
    Permission("submit_own_requests", "File and follow one's own requests.", WRITE),
    Permission("manage_webhooks", "Push one's notifications to another system by webhook.", WRITE),
    Permission("view_unit_work", "Read a unit's internal work: tasks, requests.", READ, True),
    Permission("act_for_unit", "Report progress and answer requests for a unit.", WRITE, True),
    Permission("approve_for_unit", "Sign off a unit's reports and grants.", WRITE, True),
    Permission("ingest_documents", "Ingest gazettes and official documents.", WRITE),
    Permission("supervise_tasks", "Assign, remind and assess key tasks (督查).", WRITE),
    Permission("view_audit", "Read the audit trail.", READ),
    Permission(
        "manage_people",
        "Create and deactivate a unit's staff, give roles up to one's own, reset passwords.",
        WRITE,
        True,
    ),
    Permission("administer", "Manage users, roles, the registry and settings.", WRITE),
    Permission(
        "manage_catalog",
        "Register and maintain a unit's data resources in the catalog; import, run quality.",
        WRITE,
        True,
    ),
    Permission(
        "review_catalog",
        "Review, publish, return and withdraw catalog entries; catalog statistics (编目办).",
        WRITE,
    ),
    Permission(
        "manage_ecocomp",
        "Prepare ecological compensation for a unit: rule sets, factor imports and allocation "
        "runs (finance), sections, monitoring data, agreements and settlements (environment).",
        WRITE,
        True,
    ),
    Permission(
        "use_seal",
        "Sign with a unit's electronic seals (the unit's sealing right, 用印).",
        WRITE,
        True,
    ),
    Permission(
        "manage_seals",
        "Create and revoke units' electronic seals; the platform's CA and revocation list.",
        WRITE,
    ),
    Permission(
        "issue_licences",
        "Define a unit's licence types; issue, suspend and revoke its electronic licences.",
        WRITE,
        True,
    ),
    # Issue 16, exchange-data: a provider publishes and syncs its resources' data into the
    # exchange (提供方); a consumer unit holds the data API's tokens (使用方).
    Permission(
        "publish_exchange_data",
        "Publish and synchronise a unit's data resources into the data exchange.",
        WRITE,
        True,
    ),
    Permission(
        "manage_exchange_tokens",
        "Create and revoke a unit's data-API tokens and read their usage.",
        WRITE,
        True,
    ),
    # Issue 16 (exchange-log): the exchange office (交换管理) oversees the data exchange —
    # its overview, the message log of every data-API call, verifying and sealing the log.
    Permission(
        "oversee_exchange",
        "Oversee the data exchange (交换管理): overview, message log, verify and seal the log.",
        WRITE,
    ),
    # Issue 16, point 4 (exchange-feed): the change feed of published data. A consumer unit
    # subscribes and reads its feed; the exchange office (oversee_exchange) sees every
    # unit's delays and dead letters.
    Permission(
        "read_exchange_feed",
        "Read a unit's change-feed subscriptions: pull its feed, see deliveries and delays.",
        READ,
        True,
    ),
    Permission(
        "manage_exchange_feed",
        "Subscribe a unit to published data's change feed; pause, delete, redeliver.",
        WRITE,
        True,
    ),
)
PERMISSION_NAMES: frozenset[str] = frozenset(p.name for p in PERMISSIONS)
_BY_NAME = {p.name: p for p in PERMISSIONS}

_SIGNED_IN = {"view_published", "view_own_account", "manage_own_account"}
_OWN_AFFAIRS = _SIGNED_IN | {"manage_own_subscriptions", "submit_own_requests"}
#: Unit staff publish their unit's documents into the library (issue 3: "an upload page
#: for staff"), so ingestion is theirs too.
_UNIT_STAFF = _OWN_AFFAIRS | {
    "view_unit_work",
    "act_for_unit",
    "ingest_documents",
    "manage_webhooks",
    # Issue 11: a provider unit registers its own data resources (提供方).
    "manage_catalog",
    # Issue 12: the finance and environment units prepare compensation; their heads approve.
    "manage_ecocomp",
    # Issue 16 (exchange-data): the unit's staff publish its data and hold its API tokens.
    "publish_exchange_data",
    "manage_exchange_tokens",
    # Issue 16, point 4: a unit subscribes to the change feed of data it is granted.
    "read_exchange_feed",
    "manage_exchange_feed",
}
#: Webhooks connect the platform to another system (a unit's OA, a 督查 office's tracker):
#: an office's business, not a person's, so citizens and enterprises do not register them
#: (the inbox and email reach them); issue 9 point 2.

#: The role → permissions table (issue 2). Unit heads hold the staff rights plus approval;
#: supervisors read every unit's work and supervise; administrators hold everything.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    ANONYMOUS: frozenset({"view_published"}),
    CITIZEN: frozenset(_OWN_AFFAIRS),
    ENTERPRISE: frozenset(_OWN_AFFAIRS),
    UNIT_STAFF: frozenset(_UNIT_STAFF),
    # Issue 10: the unit's sealing right (用印) is the head's, who answers for what the unit
    # seals; staff prepare, the head signs. Licences are sealed as they are issued, so issuing
    # them is the head's too.
    UNIT_HEAD: frozenset(
        _UNIT_STAFF | {"approve_for_unit", "manage_people", "use_seal", "issue_licences"}
    ),
    SUPERVISOR: frozenset(
        _OWN_AFFAIRS
        | {"view_unit_work", "supervise_tasks", "view_audit", "manage_webhooks"}
        # Issue 11: the catalog office (编目审核) reviews every unit's entries.
        | {"review_catalog"}
        # Issue 16: the exchange office (交换管理) oversees every unit's data exchange.
        | {"oversee_exchange"}
    ),
    ADMINISTRATOR: PERMISSION_NAMES,
}


@dataclass(frozen=True)
class FieldGroup:
    """Fields of an object that one permission guards, apart from the route that shows them.

    Issue 9, point 3: reading a task is not reading every unit's work on it. A route decides
    who reaches an object; each field group of it decides who reads that part. ``owner``
    names the unit a unit-bound permission is checked for (the unit whose work the fields
    are); it is empty for a group every reader of the object sees.
    """

    name: str
    object: str
    fields: str
    permission: str
    owner: str = ""


#: Which permission guards which fields of which object, read by the API output, the pages,
#: docs/security.md and the field-group permission matrix (tests/tasks/test_field_groups.py).
#: docs/ledger.md, "Roles": a unit answers for its own work, so a progress report, its
#: evidence and the supervisor's note to a unit belong to that unit alone. Units that share
#: a task (co-undertakers, sub-tasks of one parent) read the public fields of each other's
#: part, never each other's reports: each is assessed on its own (``tasks.scoring``).
FIELD_GROUPS: tuple[FieldGroup, ...] = (
    FieldGroup(
        "task.public",
        "key task",
        "number, content, category, source, responsible units as written, deadline, "
        "report cycle, closure, milestones with lights, sub-tasks, assignments (unit, dates, "
        "state), date and percent of the latest report",
        "view_published",
    ),
    FieldGroup(
        "task.reports",
        "key task",
        "progress reports: text, percent, completion claim",
        "view_unit_work",
        "the reporting unit",
    ),
    FieldGroup(
        "task.evidence",
        "key task",
        "evidence files of a report: name, size, type, SHA-256, download",
        "view_unit_work",
        "the reporting unit",
    ),
    FieldGroup(
        "task.assignment_notes",
        "key task",
        "the supervisor's note to an assigned unit",
        "view_unit_work",
        "the assigned unit",
    ),
    FieldGroup(
        "task.comments",
        "key task",
        "comments with their @mentions, watchers, extension requests (延期申请) and decisions",
        "view_unit_work",
        "any unit of the task",
    ),
    FieldGroup(
        "task.timeline",
        "key task",
        "the supervision steps read back from the audit trail",
        "view_unit_work",
        "the unit a step concerns; for a step on the whole task, any unit of the task",
    ),
    # Issue 15, point 7 (个人信息保护法): a hotline caller's personal information is read by
    # the unit handling the request alone, every read audited; everyone else sees it masked.
    FieldGroup(
        "hotline.caller",
        "hotline request",
        "the caller's name, phone, email and address",
        "act_for_unit",
        "the unit handling the request",
    ),
)
_FIELD_GROUPS_BY_NAME = {group.name: group for group in FIELD_GROUPS}


#: Issue 14, point 5 (least privilege): the roles each role may give. A unit head staffs their
#: own unit with staff and heads, never more than they hold themselves; only administrators
#: make supervisors, administrators and the public's accounts.
ASSIGNABLE_ROLES: dict[str, tuple[str, ...]] = {
    UNIT_HEAD: (UNIT_STAFF, UNIT_HEAD),
    ADMINISTRATOR: ROLES[1:],
}


def roles_assignable_by(role: str) -> tuple[str, ...]:
    """The roles someone holding ``role`` may give to an account they manage."""
    return ASSIGNABLE_ROLES.get(role, ())


def may_manage_account(actor_role: str, actor_unit_id, target_role: str, target_unit_id) -> bool:
    """Whether ``actor_role`` (of unit ``actor_unit_id``) manages an account holding
    ``target_role`` in unit ``target_unit_id``: deactivates it, resets its password, changes
    its role. Issue 14, point 5: a unit head manages their own unit's staff and heads and
    nobody else; administrators manage every account. (Nobody manages their own account
    this way: the services refuse that apart from this rule.)"""
    if not role_has(actor_role, "manage_people"):
        return False
    if actor_role in UNIT_BOUND_ROLES:
        return (
            target_role in roles_assignable_by(actor_role)
            and actor_unit_id is not None
            and actor_unit_id == target_unit_id
        )
    return True


class UnknownPermission(ValueError):
    """A permission or scope name outside the vocabulary: a programming error, fail loudly."""


def permission(name: str) -> Permission:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownPermission(f"unknown permission {name!r}") from None


def role_has(role: str, perm: str) -> bool:
    """Whether ``role`` holds ``perm`` at all (for some unit, if the permission is unit-bound)."""
    permission(perm)
    return perm in ROLE_PERMISSIONS.get(role, frozenset())


def role_has_for_unit(role: str, perm: str, own_unit_id, target_unit_id) -> bool:
    """Whether ``role`` holds ``perm`` for the unit ``target_unit_id``.

    Issue 2: unit staff and unit heads act only for their own unit; supervisors and
    administrators hold their permissions for every unit. ``target_unit_id`` None asks about
    no particular unit and then equals :func:`role_has`.
    """
    if not role_has(role, perm):
        return False
    if target_unit_id is None or not permission(perm).unit_bound:
        return True
    if role in UNIT_BOUND_ROLES:
        return own_unit_id is not None and own_unit_id == target_unit_id
    return True


def field_group(name: str) -> FieldGroup:
    try:
        return _FIELD_GROUPS_BY_NAME[name]
    except KeyError:
        raise UnknownPermission(f"unknown field group {name!r}") from None


def role_reads_field_group(role: str, group: str, own_unit_id, owner_unit_id=None) -> bool:
    """Whether ``role`` reads field group ``group`` of an item owned by ``owner_unit_id``.

    A unit-bound group is always asked about its item's unit: "some unit" would let any
    unit's staff read every unit's work (issue 9, point 3: the bug this closes).
    """
    entry = field_group(group)
    if entry.owner and owner_unit_id is None:
        raise UnknownPermission(f"field group {group!r} is read for its item's unit: pass it")
    return role_has_for_unit(role, entry.permission, own_unit_id, owner_unit_id)


def permissions_of(role: str) -> list[str]:
    """The permissions of ``role`` in vocabulary order (for "who am I" and the docs)."""
    held = ROLE_PERMISSIONS.get(role, frozenset())
    return [p.name for p in PERMISSIONS if p.name in held]


def normalise_scopes(scopes) -> list[str]:
    """Validate token scopes and make ``write`` imply ``read``; ``[]`` means ``read`` only."""
    requested = set(scopes or [READ])
    unknown = requested - set(SCOPES)
    if unknown:
        raise UnknownPermission(
            f"unknown scope(s): {', '.join(sorted(unknown))}; choose from {', '.join(SCOPES)}"
        )
    if WRITE in requested:
        requested.add(READ)
    return [scope for scope in SCOPES if scope in requested]


def scopes_allow(scopes, perm: str) -> bool:
    """Whether an API token with ``scopes`` may exercise ``perm`` (its user must hold it too)."""
    return permission(perm).scope in normalise_scopes(scopes)


def scopes_within_role(role: str, scopes) -> bool:
    """Whether a token with ``scopes`` could only ever use what ``role`` holds: a ``write``
    token for a role without any write permission would promise more than it can do."""
    held_scopes = {permission(name).scope for name in ROLE_PERMISSIONS.get(role, frozenset())}
    return set(normalise_scopes(scopes)) <= held_scopes


def markdown_table() -> str:
    """The role → permissions table as Markdown, pasted into docs/security.md and kept in sync
    by a test (Datasette's habit of generating docs from code). Print it with
    ``python -m shuzheng.accounts.permissions``."""
    header = "| permission | meaning | scope | unit-bound | " + " | ".join(ROLES) + " |"
    rule = "|" + "---|" * (4 + len(ROLES))
    rows = [header, rule]
    for perm in PERMISSIONS:
        marks = " | ".join("✓" if perm.name in ROLE_PERMISSIONS[role] else "" for role in ROLES)
        bound = "own unit" if perm.unit_bound else ""
        rows.append(f"| `{perm.name}` | {perm.description} | {perm.scope} | {bound} | {marks} |")
    return "\n".join(rows) + "\n"


def field_groups_markdown_table() -> str:
    """The field-group table as Markdown, for docs/security.md (kept in sync by a test)."""
    header = "| field group | object | fields | permission | for the unit of | " + " | ".join(ROLES)
    rows = [header + " |", "|" + "---|" * (5 + len(ROLES))]
    for group in FIELD_GROUPS:
        marks = " | ".join(_field_group_mark(group, role) for role in ROLES)
        rows.append(
            f"| `{group.name}` | {group.object} | {group.fields} | `{group.permission}` | "
            f"{group.owner} | {marks} |"
        )
    return "\n".join(rows) + "\n"


def _field_group_mark(group: FieldGroup, role: str) -> str:
    if group.permission not in ROLE_PERMISSIONS[role]:
        return ""
    return "own unit" if group.owner and role in UNIT_BOUND_ROLES else "✓"


if __name__ == "__main__":
    print(markdown_table(), end="")
    print()
    print(field_groups_markdown_table(), end="")
