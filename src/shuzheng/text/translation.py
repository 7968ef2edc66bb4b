"""Marking the sentences of pure modules for translation, without importing Django.

Pure rule modules (``tasks.status``, ``tasks.scoring`` …) return codes with parameters and
keep each code's English sentence in a table marked with :func:`gettext_noop`, so that
``makemessages`` extracts it; the Django layer translates it at display (``tasks.rendering``,
the ``in_words`` template filter) in the reader's language. Nothing stores the sentence.
"""


def gettext_noop(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


#: Between the items of a list inside a sentence; Chinese enumerates with "、".
LIST_SEPARATOR = gettext_noop(", ")


def join_list(items, translate=gettext_noop) -> str:
    """``items`` as one enumeration in the language of ``translate`` (Django's gettext at
    display): "a, b" in English, "a、b" in Chinese."""
    return translate(LIST_SEPARATOR).join(str(item) for item in items)


def offered_language(preference: str, offered: list[str]) -> str | None:
    """The first of the ``offered`` language codes (Django's, e.g. ``zh-hans``, ``en``)
    that a gettext preference list names: the ``LANGUAGE`` environment variable, e.g.
    ``zh_CN:zh:en`` or ``en_US``; None when it names none of them ("C", "POSIX", "")."""
    for entry in preference.split(":"):
        wanted = entry.split(".")[0].split("@")[0].replace("_", "-").lower()
        primary = wanted.split("-")[0]
        for code in offered:
            if wanted and (code == wanted or code.split("-")[0] == primary):
                return code
    return None
