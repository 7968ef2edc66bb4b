"""Electronic licences (电子证照) as rules: licence types as data, numbers, holders, validity,
face values, the canonical form that is signed, and the status a licence shows.

Pure Python, no Django (issue 10, point 2; seed tasks 52–53: licences issued with the paper
ones and accepted everywhere). The metadata follows GB/T 36902-2018 (电子证照 元数据规范):
a licence has its identifier (证照标识, :func:`licence_number`), its type (证照类型), its
holder (持证主体, with the holder's code type and code), its face information (照面信息, the
fields a type defines, :class:`FaceField`), its issuing unit (颁发机构) and its validity
(有效期, :class:`ValidityRule`). Errors are codes with parameters; pages word them through
gettext (``trust.licence_messages``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from shuzheng.privacy import mask_middle

# -- face fields (照面信息) ---------------------------------------------------------------------

TEXT = "text"
DATE = "date"
INTEGER = "integer"
DECIMAL = "decimal"
FIELD_KINDS = (TEXT, DATE, INTEGER, DECIMAL)
#: A face field's name: an identifier, as the API and the Excel template carry it.
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TEXT_MAX = 500
FIELDS_MAX = 40


class LicenceRuleError(ValueError):
    """A rule broken; ``code`` names it and ``params`` fill its message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class FaceField:
    """One field of a type's 照面信息: its name (an identifier), label (as printed), kind and
    whether a licence must fill it."""

    name: str
    label: str
    kind: str = TEXT
    required: bool = True

    def as_data(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "kind": self.kind,
            "required": self.required,
        }


def parse_face_fields(data: list) -> tuple[FaceField, ...]:
    """The face fields a type's stored definition describes, checked: at least one, at most
    :data:`FIELDS_MAX`, names identifiers and distinct, labels given, kinds known."""
    if not isinstance(data, list) or not data:
        raise LicenceRuleError("fields_missing")
    if len(data) > FIELDS_MAX:
        raise LicenceRuleError("fields_too_many", limit=FIELDS_MAX)
    fields: list[FaceField] = []
    for position, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise LicenceRuleError("field_malformed", position=position)
        name = str(item.get("name", "")).strip()
        label = str(item.get("label", "")).strip()
        kind = str(item.get("kind", TEXT)).strip()
        if not FIELD_NAME.match(name):
            raise LicenceRuleError("field_name_invalid", position=position, name=name)
        if not label:
            raise LicenceRuleError("field_label_missing", position=position, name=name)
        if kind not in FIELD_KINDS:
            raise LicenceRuleError("field_kind_unknown", position=position, kind=kind)
        if any(existing.name == name for existing in fields):
            raise LicenceRuleError("field_name_repeated", position=position, name=name)
        fields.append(FaceField(name, label, kind, bool(item.get("required", True))))
    return tuple(fields)


@dataclass(frozen=True)
class FieldError:
    """A face value refused: the field's name and the rule's code."""

    field: str
    code: str
    params: dict = field(default_factory=dict)


def clean_face_values(fields: tuple[FaceField, ...], values: dict) -> tuple[dict, list[FieldError]]:
    """The face values in their canonical text form (dates ISO 8601, numbers without
    exponent), and every refusal, field by field. Values of no field are refused too: a
    licence says exactly what its type defines."""
    cleaned: dict[str, str] = {}
    errors: list[FieldError] = []
    known = {f.name for f in fields}
    for name in sorted(set(values) - known):
        errors.append(FieldError(name, "field_unknown"))
    for face_field in fields:
        raw = values.get(face_field.name)
        text = _as_text(raw)
        if not text:
            if face_field.required:
                errors.append(FieldError(face_field.name, "required"))
            continue
        try:
            cleaned[face_field.name] = _clean_value(face_field.kind, raw, text)
        except LicenceRuleError as error:
            errors.append(FieldError(face_field.name, error.code, error.params))
    return cleaned, errors


def _as_text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def _clean_value(kind: str, raw, text: str) -> str:
    if kind == DATE:
        return parse_date(raw).isoformat()
    if kind == INTEGER:
        if not re.fullmatch(r"[+-]?\d{1,15}", text):
            raise LicenceRuleError("not_integer", value=text)
        return str(int(text))
    if kind == DECIMAL:
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise LicenceRuleError("not_decimal", value=text) from None
        if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
            raise LicenceRuleError("not_decimal", value=text)
        return format(number.normalize(), "f")
    if len(text) > TEXT_MAX:
        raise LicenceRuleError("too_long", limit=TEXT_MAX)
    return text


DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def parse_date(raw) -> dt.date:
    """A date as a form, the API or a spreadsheet cell gives it: a date, 2026-12-02,
    2026/12/2, 2026.12.2 or 2026年12月2日."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise LicenceRuleError("not_date", value=text)


# -- validity (有效期) --------------------------------------------------------------------------

NO_EXPIRY = "none"
YEARS = "years"
VALIDITY_KINDS = (NO_EXPIRY, YEARS)
VALIDITY_YEARS_MAX = 50


@dataclass(frozen=True)
class ValidityRule:
    """How long a licence of a type is valid: without end, or ``years`` from the issue date.

    Examples from the rules the sample types follow: a 食品经营许可证 is valid for five years
    (《食品经营许可和备案管理办法》, 2023); a 取水许可证 for five years as a rule and
    ten at most (《取水许可和水资源费征收管理条例》 第二十五条)."""

    kind: str = NO_EXPIRY
    years: int = 0

    def __post_init__(self):
        if self.kind not in VALIDITY_KINDS:
            raise LicenceRuleError("validity_kind_unknown", kind=self.kind)
        if self.kind == YEARS and not 1 <= self.years <= VALIDITY_YEARS_MAX:
            raise LicenceRuleError("validity_years_out_of_range", limit=VALIDITY_YEARS_MAX)

    def valid_until(self, issued_on: dt.date) -> dt.date | None:
        """The last day of validity: the day before the same date ``years`` later (a licence
        issued on 2026-12-02 for five years is valid through 2031-12-01; from 29 February,
        through 27 February), or None for a licence without end."""
        if self.kind == NO_EXPIRY:
            return None
        try:
            anniversary = issued_on.replace(year=issued_on.year + self.years)
        except ValueError:  # 29 February in a year that has none
            anniversary = dt.date(issued_on.year + self.years, 3, 1)
        return anniversary - dt.timedelta(days=1)


# -- status --------------------------------------------------------------------------------------

VALID = "valid"
SUSPENDED = "suspended"
REVOKED = "revoked"
EXPIRED = "expired"
#: The statuses a licence is stored with; ``expired`` is never stored but read off the clock.
STORED_STATUSES = (VALID, SUSPENDED, REVOKED)
#: Which stored status may change to which: a suspended licence is reinstated or revoked, a
#: revoked one stays revoked (a new licence is issued instead).
TRANSITIONS = {VALID: {SUSPENDED, REVOKED}, SUSPENDED: {VALID, REVOKED}, REVOKED: set()}


def effective_status(stored: str, valid_until: dt.date | None, today: dt.date) -> str:
    """The status a licence shows today: a valid licence past its last day is expired;
    suspension and revocation stand whatever the date."""
    if stored == VALID and valid_until is not None and today > valid_until:
        return EXPIRED
    return stored


def check_transition(current: str, new: str) -> None:
    if new not in TRANSITIONS.get(current, set()):
        raise LicenceRuleError("transition_refused", current=current, new=new)


# -- holders (持证主体) --------------------------------------------------------------------------

CREDIT_CODE = "credit_code"
IDENTITY_CARD = "identity_card"
HOLDER_KINDS = (CREDIT_CODE, IDENTITY_CARD)
#: GB 32100-2015 统一社会信用代码: its 31 characters (no I, O, Z, S, V) and weights.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
#: GB 11643-1999 公民身份号码: ISO 7064 MOD 11-2 weights and check characters.
IDENTITY_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
IDENTITY_CHECKS = "10X98765432"


def normalise_holder_code(kind: str, code: str) -> str:
    """The holder's code, upper case without spaces, its check character verified: a
    统一社会信用代码 by GB 32100-2015 (18 characters, the last a check over the first 17,
    weights 3^i mod 31), a 身份证号 by GB 11643-1999 (17 digits and a MOD 11-2 check)."""
    text = re.sub(r"\s", "", str(code)).upper()
    if kind == CREDIT_CODE:
        if len(text) != 18 or any(c not in CREDIT_ALPHABET for c in text):
            raise LicenceRuleError("credit_code_malformed")
        total = sum(
            CREDIT_ALPHABET.index(c) * w for c, w in zip(text[:17], CREDIT_WEIGHTS, strict=True)
        )
        if CREDIT_ALPHABET[(31 - total % 31) % 31] != text[17]:
            raise LicenceRuleError("credit_code_check_failed")
        return text
    if kind == IDENTITY_CARD:
        if not re.fullmatch(r"\d{17}[\dX]", text):
            raise LicenceRuleError("identity_card_malformed")
        total = sum(int(c) * w for c, w in zip(text[:17], IDENTITY_WEIGHTS, strict=True))
        if IDENTITY_CHECKS[total % 11] != text[17]:
            raise LicenceRuleError("identity_card_check_failed")
        return text
    raise LicenceRuleError("holder_kind_unknown", kind=kind)


def mask_holder_code(code: str) -> str:
    """A holder's code as pages and PDFs show it: the first six characters (the region of a
    身份证号, the registering authority and type of a credit code) and the last four."""
    return mask_middle(code, keep_start=6, keep_end=4)


HOLDER_KEY_PURPOSE = "trust.licence.holder"


# -- identifiers (证照标识) ---------------------------------------------------------------------

TYPE_CODE = re.compile(r"^[A-Z0-9]{2,12}$")
MOD_37_36_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SERIAL_DIGITS = 6


def check_character(text: str) -> str:
    """The ISO/IEC 7064 MOD 37,36 check character of an alphanumeric ``text`` (the hybrid
    system for letters and digits): it catches every single-character error and most
    transpositions, so a mistyped licence number is found before it is looked up."""
    modulus = 36
    product = modulus
    for character in text:
        total = (product + MOD_37_36_ALPHABET.index(character)) % modulus or modulus
        product = (total * 2) % (modulus + 1)
    return MOD_37_36_ALPHABET[(modulus + 1 - product) % modulus]


def licence_number(type_code: str, issuer_code: str, year: int, serial: int) -> str:
    """The licence identifier, after the parts GB/T 36902 gives a 证照标识: the type's code,
    the issuing unit's code, the year of issue, a serial within the type and year, and a
    check character over all of them — ``SPJY-11640000MB1234567X-2026-000001-K``."""
    if not TYPE_CODE.match(type_code):
        raise LicenceRuleError("type_code_invalid", value=type_code)
    issuer = re.sub(r"[^0-9A-Z]", "", issuer_code.upper()) or "0"
    body = f"{type_code}{issuer}{year:04d}{serial:0{SERIAL_DIGITS}d}"
    return f"{type_code}-{issuer}-{year:04d}-{serial:0{SERIAL_DIGITS}d}-{check_character(body)}"


def number_is_well_formed(number: str) -> bool:
    """True when ``number`` has the identifier's shape and its check character is right."""
    parts = number.strip().upper().split("-")
    if len(parts) != 5 or len(parts[4]) != 1:
        return False
    body = "".join(parts[:4])
    if not body or any(c not in MOD_37_36_ALPHABET for c in body + parts[4]):
        return False
    return check_character(body) == parts[4]


# -- the signed form -----------------------------------------------------------------------------


def canonical_record(
    *,
    number: str,
    licence_type: dict,
    holder: dict,
    face: dict,
    issuer: dict,
    issued_on: dt.date,
    valid_until: dt.date | None,
) -> dict:
    """What a licence's signature covers: number, type, holder, 照面信息, issuer and validity.
    The holder's code is there as its keyed digest, never in the open."""
    return {
        "number": number,
        "type": licence_type,
        "holder": holder,
        "face": face,
        "issuer": issuer,
        "validity": {
            "issued_on": issued_on.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else None,
        },
    }


def canonical_bytes(record: dict) -> bytes:
    """The record as signed: JSON with sorted keys, no spaces, UTF-8 (no \\u escapes), so
    that the same record always gives the same bytes on every machine."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


#: Hex digits of the record's SM3 digest a QR code carries: 64 bits, enough that a forged
#: code for a real number is refused, short enough for a small QR code.
SHORT_DIGEST_LENGTH = 16


def short_digest(digest_hex: str) -> str:
    return digest_hex[:SHORT_DIGEST_LENGTH]
