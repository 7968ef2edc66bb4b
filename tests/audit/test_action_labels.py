"""Every audit code in words, in both languages (issue 14, "Raw codes": the trail showed
``orgs.unit.create``, ``search.replace_document_entries``, ``orgs.unitgroup``)."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.audit.actions import ACTION_LABELS, OBJECT_TYPE_LABELS, action_label
from shuzheng.audit.services import record_change

SOURCE = Path(__file__).resolve().parents[2] / "src" / "shuzheng"
CJK = re.compile(r"[\u4e00-\u9fff]")
#: Calls that record an audit event, and the position of their action when it is positional.
RECORDERS = {"record_change": None, "_record": 1}


def _module_constants(tree) -> dict[str, str]:
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    constants[target.id] = node.value.value
    return constants


def _codes_in(expression, constants: dict[str, str]) -> set[str]:
    """The action codes an expression can give: literals, module constants, both branches of
    ``a if … else b``, and ``f"orgs.{label}.create"`` for every model of the app it names."""
    codes = set()
    for node in ast.walk(expression):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "." in node.value:
            codes.add(node.value)
        elif isinstance(node, ast.Name) and node.id in constants:
            codes.add(constants[node.id])
        elif isinstance(node, ast.JoinedStr):
            parts = [part.value if isinstance(part, ast.Constant) else "{}" for part in node.values]
            template = "".join(parts)
            app_label = template.split(".", 1)[0]
            for model in apps.get_app_config(app_label).get_models():
                codes.add(template.replace("{}", model._meta.model_name))
    return {code for code in codes if re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", code)}


def recorded_action_codes() -> set[str]:
    """Every action code a ``record_change`` call in the source can write."""
    codes = set()
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _module_constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in RECORDERS:
                continue
            for keyword in node.keywords:
                if keyword.arg == "action":
                    codes |= _codes_in(keyword.value, constants)
            position = RECORDERS[name]
            if position is not None and len(node.args) > position:
                codes |= _codes_in(node.args[position], constants)
    return codes


def test_the_source_walk_finds_the_actions_of_every_kind_of_call():
    codes = recorded_action_codes()
    # a literal, a module constant, an f-string over the orgs models, both sides of an if
    assert {"tasks.assign", "accounts.login", "orgs.unitgroup.create", "tasks.report"} <= codes
    assert {"admin.delete", "notifications.disable_webhook", "documents.ingest"} <= codes


def test_every_recorded_action_has_a_label():
    missing = sorted(recorded_action_codes() - set(ACTION_LABELS))
    assert missing == [], f"add these to shuzheng.audit.actions.ACTION_LABELS: {missing}"


@pytest.mark.parametrize("code", sorted(ACTION_LABELS))
def test_every_action_label_is_translated(code):
    english = action_label(code)
    with translation.override("zh-hans"):
        chinese = action_label(code)
    assert english != code and CJK.search(chinese), (code, chinese)
    assert chinese != english, (code, chinese)


def test_every_object_type_is_named_in_chinese():
    types = [model._meta.label_lower for model in apps.get_models()]
    types = [
        name for name in types if name.startswith(("accounts.", "orgs.", "tasks.", "documents."))
    ]
    types += list(OBJECT_TYPE_LABELS)
    from shuzheng.audit.actions import object_type_label

    with translation.override("zh-hans"):
        unnamed = [name for name in types if not CJK.search(object_type_label(name))]
    assert unnamed == []


@pytest.mark.django_db
def test_the_trail_shows_words_not_codes(client):
    admin = User.objects.create_user("root", role=Role.ADMINISTRATOR)
    record_change(
        actor=admin, action="orgs.unitgroup.create", object_type="orgs.unitgroup", object_id=1
    )
    record_change(
        actor=admin,
        action="search.replace_document_entries",
        object_type="search.document_entries",
    )
    client.force_login(admin)
    html = client.get("/audit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    cells = re.findall(r"<td>(.*?)</td>", html, flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>", "", cell) for cell in cells)
    assert "orgs.unitgroup" not in text and "search.replace_document_entries" not in text
    assert "单位组" in text and "搜索索引" in text


@pytest.mark.chinese_ui
@pytest.mark.django_db
def test_the_platform_acting_by_itself_is_named_in_words(client):
    """The worker's and the rules' own changes are stored as ``system`` (an identifier) and
    shown as 系统, not as the English word; a person's name is shown as stored."""
    admin = User.objects.create_user("root", role=Role.ADMINISTRATOR)
    record_change(actor=None, action="orgs.unitgroup.create", object_type="orgs.unitgroup")
    record_change(actor=admin, action="orgs.unitgroup.create", object_type="orgs.unitgroup")
    client.force_login(admin)
    html = client.get("/audit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    actors = [re.sub(r"<[^>]+>", "", row[1]).strip() for row in _rows(html)]
    assert sorted(actors) == ["root", "系统"]


def _rows(html: str) -> list[list[str]]:
    return [
        re.findall(r"<td>(.*?)</td>", row, flags=re.S)
        for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
        if "<td>" in row
    ]
