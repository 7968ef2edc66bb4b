"""Blocks other apps add to the document page (issue 8, item 1; NetBox's template
extensions). ``tasks`` adds the key-task table and ``subscriptions`` the follow button;
``documents`` imports none of them: each registers its panel from its ``AppConfig.ready()``
(docs/architecture.md: hooks).

A panel renders its own HTML from the request and the document it is shown on, and may
name an element id (``target``) whose htmx requests it answers alone — the task table's
filter and sort links swap only the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.http import HttpRequest
from django.utils.safestring import SafeString

from shuzheng.documents.models import Document

#: Where the panels of the apps as built stand in their place on the page.
FOLLOW = 100
KEY_TASKS = 100


class Place(StrEnum):
    """Where on the document page a panel stands."""

    #: Right after the table of the document's information, before the contents.
    INFORMATION = "information"
    #: After the text and the attachments.
    END = "end"


RenderPanel = Callable[[HttpRequest, Document], SafeString]


@dataclass(frozen=True)
class DocumentPanel:
    name: str
    #: The panel's HTML; empty when it has nothing to show for this document.
    render: RenderPanel
    order: int
    place: Place = Place.END
    #: The element id whose htmx requests (``HX-Target``) this panel answers alone…
    target: str = ""
    #: …with this HTML instead of the page.
    render_target: RenderPanel | None = None


_panels: dict[str, DocumentPanel] = {}


def register_document_panel(panel: DocumentPanel) -> None:
    """Show ``panel`` on every document page; a name registered again is replaced."""
    _panels[panel.name] = panel


def document_panels() -> list[DocumentPanel]:
    """The registered panels in page order (by ``order``, then by name)."""
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.name))


def render_panels(request: HttpRequest, document: Document) -> dict[str, list[SafeString]]:
    """Every panel's HTML for ``document``'s page, by the name of its :class:`Place`."""
    rendered: dict[str, list[SafeString]] = {place.value: [] for place in Place}
    for panel in document_panels():
        rendered[panel.place].append(panel.render(request, document))
    return rendered


def panel_for_target(target: str | None) -> DocumentPanel | None:
    """The panel that answers htmx requests aimed at the element ``target``, if any."""
    if not target:
        return None
    return next((panel for panel in _panels.values() if panel.target == target), None)
