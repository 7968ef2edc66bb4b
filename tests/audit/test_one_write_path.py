"""One write path into the audit trail: ``audit.services.record_change`` (issue 9, point 8).

Tamper evidence is the trust services' work; here nothing else in the code may create,
change or delete an ``AuditEvent`` behind that function's back. The source is read as
Python syntax: a write method called on anything reached from ``AuditEvent`` (directly or
through a name assigned from it), an ``AuditEvent(...)`` built by hand, or SQL naming the
trail's table, anywhere outside ``audit/services.py``, fails here with its place.
"""

import ast
from pathlib import Path

import shuzheng

SOURCE = Path(shuzheng.__file__).resolve().parent
THE_WRITE_PATH = SOURCE / "audit" / "services.py"
WRITES = frozenset(
    {
        "create",
        "bulk_create",
        "get_or_create",
        "update_or_create",
        "update",
        "bulk_update",
        "delete",
        "save",
        "raw",
    }
)
TABLE = "audit_auditevent"


def reaches_audit_event(node: ast.AST, tainted: set[str]) -> bool:
    """Whether an expression is ``AuditEvent``, a name assigned from it, or a chain of
    attributes, calls and subscripts starting there."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return isinstance(node, ast.Name) and (node.id == "AuditEvent" or node.id in tainted)


def writes_in(tree: ast.AST) -> list[tuple[int, str]]:
    tainted: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if reaches_audit_event(node.value, tainted):
                tainted |= {t.id for t in targets if isinstance(t, ast.Name)}
        iterates_the_trail = isinstance(node, ast.For) and reaches_audit_event(node.iter, tainted)
        if iterates_the_trail and isinstance(node.target, ast.Name):
            tainted.add(node.target.id)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "AuditEvent":
                found.append((node.lineno, "AuditEvent(...) built by hand"))
            elif (
                isinstance(func, ast.Attribute)
                and func.attr in WRITES
                and reaches_audit_event(func.value, tainted)
            ):
                found.append((node.lineno, f".{func.attr}() on the audit trail"))
        if isinstance(node, ast.Constant) and TABLE in str(node.value).lower():
            found.append((node.lineno, f"SQL naming {TABLE}"))
    return sorted(found)


def trail_writes_outside_the_service() -> list[str]:
    places = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path == THE_WRITE_PATH or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, what in writes_in(tree):
            places.append(f"{path.relative_to(SOURCE)}:{line}: {what}")
    return places


def test_nothing_but_the_audit_service_writes_audit_events():
    places = trail_writes_outside_the_service()
    assert not places, (
        "write the audit trail through shuzheng.audit.services.record_change only: "
        + "; ".join(places)
    )


def test_the_check_finds_each_kind_of_write():
    """The check itself: each way around the service is caught, reading is not."""
    code = """
from shuzheng.audit.models import AuditEvent
AuditEvent.objects.create(action="x")
AuditEvent.objects.filter(pk=1).update(action="y")
events = AuditEvent.objects.filter(action="x")
events.delete()
for event in AuditEvent.objects.all():
    event.save()
AuditEvent(action="z").save()
cursor.execute("DELETE FROM audit_auditevent")
AuditEvent.objects.filter(action="x").count()
"""
    found = writes_in(ast.parse(code))
    assert [line for line, _what in found] == [3, 4, 6, 8, 9, 9, 10]


def test_the_service_itself_is_the_one_place_that_creates_events():
    """It inserts events in record_change (one, built by change_event) and record_changes (a
    bulk import's, in one statement per batch), and chain_pending_events fills in their chain
    fields (sequence, prev_hash, hash) — nothing else."""
    tree = ast.parse(THE_WRITE_PATH.read_text(encoding="utf-8"))
    assert [what for _line, what in writes_in(tree)] == [
        ".bulk_create() on the audit trail",
        "AuditEvent(...) built by hand",
        "AuditEvent(...) built by hand",
        ".bulk_update() on the audit trail",
    ]
