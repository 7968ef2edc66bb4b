"""The licence rules' codes worded in the reader's language (codes are stored and passed;
words are made at display, as the house rules ask)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuzheng.trust.licence_models import STATUS_LABELS
from shuzheng.trust.licences import FieldError, LicenceRuleError

MESSAGES = {
    "fields_missing": gettext_lazy("Define at least one face field."),
    "fields_too_many": gettext_lazy("A licence type has at most %(limit)s face fields."),
    "field_malformed": gettext_lazy(
        "Face field %(position)s is not written as name, label, kind, required."
    ),
    "field_name_invalid": gettext_lazy(
        "Face field %(position)s: the name “%(name)s” must start with a small letter and hold "
        "only small letters, digits and underscores (up to 40)."
    ),
    "field_label_missing": gettext_lazy("Face field %(position)s has no label."),
    "field_kind_unknown": gettext_lazy(
        "Face field %(position)s: “%(kind)s” is not a kind (text, date, integer, decimal)."
    ),
    "field_name_repeated": gettext_lazy("Face field %(position)s repeats the name “%(name)s”."),
    "validity_kind_unknown": gettext_lazy("Choose how long the licences are valid."),
    "validity_years_out_of_range": gettext_lazy("Enter a validity of 1 to %(limit)s years."),
    "transition_refused": gettext_lazy("A licence that is %(current)s cannot become %(new)s."),
    "credit_code_malformed": gettext_lazy(
        "A unified social credit code has 18 digits and capital letters (not I, O, Z, S, V)."
    ),
    "credit_code_check_failed": gettext_lazy(
        "The unified social credit code's check character is wrong: check the code."
    ),
    "identity_card_malformed": gettext_lazy(
        "An identity card number has 17 digits and a check digit or X."
    ),
    "identity_card_check_failed": gettext_lazy(
        "The identity card number's check digit is wrong: check the number."
    ),
    "holder_kind_unknown": gettext_lazy(
        "“%(kind)s” is not a code type: write 统一社会信用代码 or 身份证号."
    ),
    "type_code_invalid": gettext_lazy("“%(value)s” is not a type code."),
    "not_date": gettext_lazy("“%(value)s” is not a date (write 2026-12-02)."),
    "not_integer": gettext_lazy("“%(value)s” is not a whole number."),
    "not_decimal": gettext_lazy("“%(value)s” is not a number."),
    "too_long": gettext_lazy("Longer than %(limit)s characters."),
    "required": gettext_lazy("Required."),
    "field_unknown": gettext_lazy("The licence type has no such field."),
    "not_workbook": gettext_lazy("The file is not an Excel workbook (.xlsx)."),
    "header_missing": gettext_lazy(
        "No header row with the column “%(header)s” in the first five rows: use the template."
    ),
    "column_missing": gettext_lazy("The column “%(header)s” is missing."),
    "too_many_rows": gettext_lazy("More than %(limit)s licences: split the workbook."),
    "no_rows": gettext_lazy("The workbook holds no licence."),
}


def rule_message(error: LicenceRuleError) -> str:
    return str(MESSAGES[error.code]) % _words(error.params)


def code_message(code: str, params: dict) -> str:
    return str(MESSAGES[code]) % _words(params)


def field_message(label: str, error: FieldError) -> str:
    return _("%(field)s: %(message)s") % {
        "field": label,
        "message": code_message(error.code, error.params),
    }


def _words(params: dict) -> dict:
    return {
        key: str(STATUS_LABELS.get(value, value)) if key in {"current", "new"} else value
        for key, value in params.items()
    }
