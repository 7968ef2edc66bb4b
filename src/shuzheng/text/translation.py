"""Marking the sentences of pure modules for translation, without importing Django.

Pure rule modules (``tasks.status``, ``tasks.scoring`` …) return codes with parameters and
keep each code's English sentence in a table marked with :func:`gettext_noop`, so that
``makemessages`` extracts it; the Django layer translates it at display (``tasks.rendering``,
the ``in_words`` template filter) in the reader's language. Nothing stores the sentence.
"""


def gettext_noop(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message
