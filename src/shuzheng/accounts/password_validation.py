"""Password rules of 等保 2.0 level 3 beyond Django's own validators (issue 9, point 9).

``AUTH_PASSWORD_VALIDATORS`` (settings.py) lists them beside Django's minimum length, common
passwords and similarity to the user's attributes; Django runs them wherever a password is set
through a form, ``createsuperuser``, ``changepassword`` and the account services.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: Characters people put for letters ("p@ssw0rd"), read back as the letter they stand for.
LOOKALIKES = str.maketrans(
    {"0": "o", "1": "i", "l": "i", "!": "i", "|": "i", "3": "e", "4": "a", "@": "a",
     "5": "s", "$": "s", "7": "t", "+": "t", "8": "b"}
)  # fmt: skip
#: Shorter usernames match too many passwords by chance to be refused for it.
SHORTEST_CHECKED_USERNAME = 3


def character_classes(password: str) -> int:
    """How many of the four classes — lower case, upper case, digits, other characters
    (punctuation, spaces, Chinese characters) — ``password`` uses."""
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not (c.islower() or c.isupper() or c.isdigit()) for c in password),
        )
    )


def derives_from(password: str, username: str) -> bool:
    """Whether ``password`` contains ``username``, forwards or backwards, ignoring case,
    separators and look-alike characters ("Alice2024!", "ecila#99", "@l1ce-Pass")."""
    name = _canonical(username)
    if len(name) < SHORTEST_CHECKED_USERNAME:
        return False
    text = _canonical(password)
    return name in text or name[::-1] in text


class CharacterClassesValidator:
    """等保 2.0 level 3: a password combines at least ``min_classes`` of the four classes."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_error_message(), code="password_too_few_classes")

    def get_error_message(self):
        return ngettext(
            "This password must combine at least %(count)d kind of character: lower-case "
            "letters, upper-case letters, digits, other characters.",
            "This password must combine at least %(count)d kinds of characters: lower-case "
            "letters, upper-case letters, digits, other characters.",
            self.min_classes,
        ) % {"count": self.min_classes}

    def get_help_text(self):
        return self.get_error_message()


class UsernameDerivedValidator:
    """等保 2.0 level 3: no password made from the username (reversed, with look-alikes)."""

    def validate(self, password, user=None):
        username = user.get_username() if user is not None else ""
        if username and derives_from(password, username):
            raise ValidationError(
                _("This password is made from the username. Choose one that is not."),
                code="password_from_username",
            )

    def get_help_text(self):
        return _("Your password cannot be made from your username, nor from it reversed.")


def _canonical(text: str) -> str:
    lowered = text.lower().translate(LOOKALIKES)
    return "".join(c for c in lowered if c.isalnum())
