"""The one grammar of 责任单位: who leads, who owns and who supports a task, as written.

Official documents close a measure with its responsibility in many ways (docs/parse-schema.md
lists the phrasings the tests read, with their sources):

* a table cell or a bracket after the measure: "自治区农业农村厅牵头，各市、县（区）具体负责，
  自治区有关部门（单位）配合", "（省发展改革委、省财政厅按职责分工负责）";
* labelled parts: "牵头单位：省自然资源厅；责任单位：省住房城乡建设厅，各市、县人民政府",
  "责任单位：X；配合单位：Y";
* a verb phrase: "由国土资源部会同农业部等部门负责落实".

This module only splits such a text into clauses of names with a role; which unit a name
means is the orgs resolver's business (orgs.resolution reads every 责任单位 through here).

The roles (GLOSSARY, 责任单位):

* **lead** — 牵头, 牵头负责, 主责, 主办, the first party of 会同, a 牵头单位 label;
* **owner** — 负责, 具体负责, 分别负责, (按职责分工)负责, 负责落实, 落实, a 责任单位 label
  next to a 牵头单位 label;
* **supporting** — 配合, 参与, 协助, 协同, 协办, 支持, 指导, the parties 会同 names, a
  配合单位 / 参与单位 / 协办单位 / 指导单位 label.

Names with no role word of their own are the lead when the text names supporting units and
no lead ("责任单位：X、Y，各市、县（区）人民政府配合": X and Y lead, the governments support);
otherwise they are owners (the inline "〔责任单位：自治区财政厅、水利厅，各市、县（区）〕").
A role word covers the names written since the previous role word ("X牵头负责，Y，Z配合":
Y and Z support), except that a supporting word does not reach back over a "，" or "；" to
the names the text opens with (those are the lead it supports).  Notes after the units ("。具体任务均涉及…，不再做分工，下同。")
are not units and are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LEAD = "lead"
OWNER = "owner"
SUPPORTING = "supporting"

_WIDTH = str.maketrans(
    {"(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "[": "〔", "]": "〕"}
)
_SPACES = re.compile(r"\s+")

# Labels of a labelled responsibility ("牵头单位：…；配合单位：…"), by role; 责任单位 has
# no role of its own (see the module docstring).
_LABELS = {
    LEAD: (
        "牵头单位",
        "牵头部门",
        "牵头责任单位",
        "牵头领导单位",
        "主办单位",
        "主责单位",
        "主责部门",
    ),
    OWNER: ("责任单位", "责任部门", "责任主体", "负责单位", "负责部门", "承办单位", "落实单位"),
    SUPPORTING: (
        "配合单位",
        "配合部门",
        "参与单位",
        "参与部门",
        "协办单位",
        "协同单位",
        "协助单位",
        "支持单位",
        "指导单位",
        "指导部门",
    ),
}
_ROLE_OF_LABEL = {label: role for role, labels in _LABELS.items() for label in labels}
_LABEL = re.compile(
    "(?P<label>" + "|".join(sorted(_ROLE_OF_LABEL, key=len, reverse=True)) + r")[：]"
)
#: Role words, longest first; an optional manner ("按职责分工", "分别") before them.
_MANNER = (
    r"(?:(?:按照?|根据|依据?|依照)(?:各自)?(?:职责|职能)(?:分工)?(?:要求)?)?"
    r"(?:分别|共同|具体|切实|认真)?"
)
_ROLE_WORDS = {
    "牵头负责": LEAD,
    "牵头抓总": LEAD,
    "牵头": LEAD,
    "主责": LEAD,
    "主办": LEAD,
    "会同": LEAD,  # the names after it support (see role_clauses)
    "研究提出落实意见": OWNER,
    "负责落实": OWNER,
    "抓好落实": OWNER,
    "组织实施": OWNER,
    "负责": OWNER,
    "落实": OWNER,
    "配合": SUPPORTING,
    "参与": SUPPORTING,
    "协助": SUPPORTING,
    "协同": SUPPORTING,
    "协办": SUPPORTING,
    "支持": SUPPORTING,
    "指导": SUPPORTING,
}
_ROLE_PATTERN = re.compile(
    _MANNER + "(?P<word>" + "|".join(sorted(_ROLE_WORDS, key=len, reverse=True)) + ")"
)
# A unit name followed by a parenthesised role: "自治区发展改革委（牵头）".
_ROLE_IN_BRACKETS = re.compile(r"（(?P<word>牵头|牵头单位|主责|负责|配合|参与|协助|指导)）")
_CLAUSE_SEPARATORS = "，；"
_LEADING_WORDS = re.compile(
    r"^(?:以上工作|上述工作|此项工作|该项工作|以上任务|上述任务)?(?:分别由|均由|各由|由|请|其中)?"
)
# A deadline written among the units ("…，6月底完成", "，持续推进"): the parser reads it.
_DEADLINE = re.compile(
    r"^(?:\d{4}年)?(?:\d{1,2}月)?(?:底|末|中旬|上旬|下旬|年底|年内)?(?:前|以前|之前)?"
    r"(?:完成|建成|见效|取得\S*成效|启动)?$|^(?:持续推进|长期坚持|长期|持续实施|年内见成效)$"
)
_TRAILING_WORDS = re.compile(r"等+$")
# "列在首位的为牵头部门或单位", "排在第一位的为牵头单位": a convention stated in a note.
_FIRST_IS_LEAD = re.compile(
    r"(?:列在|排在|排名|排序)(?:首位|第一位?)的?(?:单位|部门)?(?:为|是)牵头"
)
# "教育部为牵头单位", "财政厅为配合单位": the role stated as a predicate.
_AS_ROLE = re.compile(r"为(?P<role>牵头|配合|参与|责任)(?:单位|部门)")
_AS_ROLE_WORD = {"牵头": "牵头", "配合": "配合", "参与": "参与", "责任": "负责"}
# Notes that follow the units: "具体任务均涉及相关市（州）人民政府，不再做分工，下同".
_NOTE = re.compile(
    r"不再(?:做|作|重复|一一)?(?:分工|列出)|下同|以下(?:任务)?均|均需|均涉及|列在首位|排在第一|排名第一"
)


@dataclass(frozen=True)
class RoleClause:
    """Unit names as written (a list joined by 、，及和), and the role they have."""

    names: str
    role: str


def normalise(text: str) -> str:
    """Full-width punctuation, no spaces (layout breaks names over lines)."""
    return _SPACES.sub("", text.translate(_WIDTH))


def role_clauses(text: str) -> list[RoleClause]:
    """The clauses of a 责任单位 text in order; see the module docstring for the rules."""
    text = _prepared(text)
    if not text:
        return []
    labelled = _labelled_parts(text)
    if labelled is None:
        return _with_unmarked_roles(_verb_clauses(text))
    has_lead_label = any(role == LEAD for role, _body in labelled)
    clauses: list[_Clause] = []
    for role, body in labelled:
        if role == OWNER and not has_lead_label:
            clauses += _verb_clauses(body)  # 责任单位：… reads like an unlabelled text
        elif role == OWNER:
            clauses += [_Clause(names, OWNER) for names in _marked_or_default(body, OWNER)]
        else:
            clauses += [_Clause(names, role) for names in _marked_or_default(body, role)]
    return _with_unmarked_roles(clauses)


def _prepared(text: str) -> str:
    """Normalised, predicates turned into role words, notes and deadlines dropped."""
    text = normalise(text)
    first_is_lead = _FIRST_IS_LEAD.search(text) is not None
    text = _AS_ROLE.sub(lambda found: _AS_ROLE_WORD[found.group("role")], text)
    text = _without_notes(text).strip("。；，、")
    if text and first_is_lead and not any(word in text for word in ("牵头", "会同")):
        # "（财政厅、发展改革委、教育厅。列在首位的为牵头部门或单位，…）"
        parts = re.split(r"([、，；])", text, maxsplit=1)
        text = f"{parts[0]}牵头，{parts[2]}" if len(parts) == 3 else f"{text}牵头"
    return text


def looks_like_responsibility(text: str) -> bool:
    """Is a bracketed phrase after a measure a 责任单位 (and not an aside such as
    "（以下简称“负责人”）" or "（2023—2025年）")?  It needs a label or a role word, names
    before every role word, and names that mostly end like units do."""
    if re.search(r"简称|例如|如：|“|”|《", text):
        return False
    text = _prepared(text)
    if not text or re.search(r"的|除外|解释", text):
        return False
    if _LABEL.search(text):
        return True
    clauses = _verb_clauses(text)
    if not any(clause.role is not None for clause in clauses):
        return False
    names = [name for clause in clauses for name in _names_of(clause.names)]
    if not names:
        return False
    unit_like = sum(1 for name in names if _UNIT_ENDING.search(name))
    return unit_like * 2 >= len(names)


_UNIT_ENDING = re.compile(
    r"(?:委|厅|局|部|办|院|会|府|署|室|行|中心|单位|部门|机关|机构|集团|公司|组|社|联|团|馆|校|所|处|站|队"
    r"|区|市|县|州|盟|旗|省|乡|镇|街道|党委|政府|管委会|银行|海关|法院|检察院|各地|各地区|有关方面)(?:）)?$"
)


def _names_of(names: str) -> list[str]:
    plain = re.sub(r"（[^（）]*）", "", names)  # 各市、县（区） → 各市、县
    return [part for part in re.split(r"[、，；及和]", plain) if part]


@dataclass
class _Clause:
    names: str
    role: str | None  # None: no role word of its own
    after_with: bool = False  # written after 会同: supporting


def _without_notes(text: str) -> str:
    """The units only: sentences after the first "。" and note clauses dropped."""
    head, _stop, tail = text.partition("。")
    if tail and _LABEL.match(tail):
        head = f"{head}；{tail}"
    parts = re.split(r"([，；])", head)
    kept: list[str] = []
    for part in parts:
        if _NOTE.search(part) or (re.search(r"\d|持续|长期", part) and _DEADLINE.match(part)):
            if kept and kept[-1] in _CLAUSE_SEPARATORS:
                kept.pop()
            continue
        kept.append(part)
    return "".join(kept)


def _labelled_parts(text: str) -> list[tuple[str, str]] | None:
    """[(role, body)] for "牵头单位：X；配合单位：Y"; None when the text has no label.

    A text that only starts with 责任单位： and has no other label is read unlabelled."""
    found = list(_LABEL.finditer(text))
    if not found:
        return None
    parts = []
    if found[0].start() > 0 and text[: found[0].start()].strip("；，"):
        parts.append((OWNER, text[: found[0].start()].strip("；，")))
    for index, label in enumerate(found):
        stop = found[index + 1].start() if index + 1 < len(found) else len(text)
        body = text[label.end() : stop].strip("；，、")
        if body:
            parts.append((_ROLE_OF_LABEL[label.group("label")], body))
    return parts


def _marked_or_default(body: str, role: str) -> list[str]:
    """Names under a label, without role words of their own ("配合单位：X、Y")."""
    body = _ROLE_IN_BRACKETS.sub("", body)
    cleaned = _ROLE_PATTERN.sub(lambda match: "" if match.end() == len(body) else "，", body)
    return [cleaned.strip("，；、")] if cleaned.strip("，；、") else []


def _verb_clauses(text: str) -> list[_Clause]:
    """Clauses of an unlabelled text: names closed by role words (see the module docstring)."""
    clauses: list[_Clause] = []
    for chunk in _split_top_level(text):
        own = _chunk_clauses(chunk)
        role = own[0].role if own and not own[0].after_with else None
        if role in (LEAD, OWNER) or (role == SUPPORTING and _has_role(clauses)):
            # "X，Y牵头": a role word covers the names listed before it since the last role
            # word; a supporting word does not reach the names the text opens with.
            for earlier in reversed(clauses):
                if earlier.role is not None or earlier.after_with:
                    break
                earlier.role = own[0].role
        clauses += own
    return clauses


def _has_role(clauses: list[_Clause]) -> bool:
    return any(clause.role is not None for clause in clauses)


def _split_top_level(text: str) -> list[str]:
    """Split at "，" and "；" outside parentheses, keeping the separators' positions."""
    chunks: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "（":
            depth += 1
        elif char == "）":
            depth = max(depth - 1, 0)
        if char in _CLAUSE_SEPARATORS and depth == 0:
            chunks.append("".join(current))
            current = []
        else:
            current.append(char)
    chunks.append("".join(current))
    return [chunk for chunk in chunks if chunk]


def _chunk_clauses(chunk: str) -> list[_Clause]:
    clauses: list[_Clause] = []
    bracketed = _ROLE_IN_BRACKETS.search(chunk)
    if bracketed is not None:
        # "X（牵头）、Y": X has the bracketed role, the rest of the chunk none of its own.
        word = bracketed.group("word").removesuffix("单位")
        clauses.append(_Clause(_clean(chunk[: bracketed.start()]), _ROLE_WORDS[word]))
        rest = chunk[bracketed.end() :].lstrip("、")
        return clauses + (_chunk_clauses(rest) if rest else [])
    position = 0
    after_with = False
    for match in _ROLE_PATTERN.finditer(chunk):
        names = _clean(chunk[position : match.start()])
        word = match.group("word")
        if not names and clauses and word in ("负责", "落实", "负责落实"):
            # "X牵头负责落实", "X会同Y研究负责": the verb after a role adds nothing.
            position = match.end()
            continue
        clauses.append(_Clause(names, _ROLE_WORDS[word], after_with))
        after_with = word == "会同"
        position = match.end()
    tail = _clean(chunk[position:])
    if tail:
        clauses.append(_Clause(tail, None, after_with))
    return clauses


def _clean(names: str) -> str:
    names = _LEADING_WORDS.sub("", names.strip("，；、"))
    return _TRAILING_WORDS.sub("", names).strip("，；、")


def _with_unmarked_roles(clauses: list[_Clause]) -> list[RoleClause]:
    """Give roles to the names 会同 names and to names with no role word (module docstring)."""
    for clause in clauses:
        if clause.after_with:
            clause.role = SUPPORTING
    roles = {clause.role for clause in clauses}
    unmarked = LEAD if SUPPORTING in roles and LEAD not in roles else OWNER
    result = []
    for clause in clauses:
        if clause.names:
            result.append(RoleClause(clause.names, clause.role or unmarked))
    return result
