"""HTML pages of the document library: list, document page, upload (issue 3, item 7)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng.accounts.authorization import has_perm, require_perm
from shuzheng.documents import presentation, selectors, services
from shuzheng.documents.filtersets import DocumentFilterSet
from shuzheng.documents.forms import IngestForm, TopicsForm
from shuzheng.documents.highlight import highlight_terms
from shuzheng.documents.models import Document, IngestJob
from shuzheng.documents.panels import panel_for_target, render_panels
from shuzheng.documents.reports import IngestionReport
from shuzheng.documents.tables import DocumentTable
from shuzheng.lists import ObjectListView

PAGE_SIZE = 25


class DocumentListView(ObjectListView):
    """Current documents, filtered; htmx requests get only the results."""

    filterset_class = DocumentFilterSet
    table_class = DocumentTable
    template_name = "documents/list.html"
    partial_template_name = "documents/_results.html"
    paginate_by = PAGE_SIZE

    def get_rows(self):
        return selectors.current_documents(self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "doc_types": selectors.document_types(user),
            "issuers": selectors.issuing_units(user),
            "can_ingest": has_perm(user, "ingest_documents"),
        }


document_list = require_perm("view_published")(DocumentListView.as_view())


class _Refused(Exception):
    def __init__(self, response):
        self.response = response


def _readable_document(request, pk: int) -> Document:
    """The document ``pk`` with its parts, if the requester may read it: 404 for no such
    document, the login page for an anonymous visitor, 403 for a signed-in one."""
    try:
        document = selectors.document_with_parts(pk)
    except Document.DoesNotExist:
        raise Http404(_("No such document.")) from None
    if not selectors.can_read(request.user, document):
        if not request.user.is_authenticated:
            raise _Refused(redirect_to_login(request.get_full_path()))
        raise PermissionDenied("this document is not public")
    return document


def _official_context(request, document: Document) -> dict:
    """What the document page and its print view share: the official text laid out
    (GB/T 9704-2012, ``documents.presentation``), searched words marked (``?hl=``)."""
    sections = list(document.sections.all())
    terms = highlight_terms(request.GET.get("hl", ""))
    return {
        "document": document,
        "sections": sections,
        "official": presentation.official_text(document, sections, terms),
        "related": selectors.related_documents(request.user, document),
    }


def document_detail(request, pk: int):
    """The document page with the panels other apps add (``documents.panels``); an htmx
    request aimed at a panel's element gets only that panel's answer."""
    try:
        document = _readable_document(request, pk)
    except _Refused as refused:
        return refused.response
    panel = panel_for_target(request.headers.get("HX-Target"))
    if panel is not None and panel.render_target is not None:
        return HttpResponse(panel.render_target(request, document))
    context = _official_context(request, document)
    show_findings = selectors.can_read_internal_documents(request.user)
    context |= {
        "versions": selectors.document_versions(document),
        "toc": presentation.section_tree(context["sections"]),
        "panels": render_panels(request, document),
        "findings": selectors.document_findings(document) if show_findings else None,
        "topics": presentation.topic_lines(document, get_language() or ""),
        "topics_form": (
            TopicsForm(initial={"topics": document.topics})
            if has_perm(request.user, "ingest_documents")
            else None
        ),
    }
    return render(request, "documents/detail.html", context)


@require_perm("ingest_documents")
@require_POST
def document_topics(request, pk: int):
    """Set the 主题分类 of a document (POST from the document page's form): stored, audited
    and re-indexed by ``services.set_topics``; a bad choice is said on the page."""
    document = get_object_or_404(Document, pk=pk)
    form = TopicsForm(request.POST)
    if form.is_valid():
        services.set_topics(document, form.cleaned_data["topics"], actor=request.user)
        messages.success(request, _("The topics were saved."))
    else:
        messages.error(request, " ".join(form.errors["topics"]))
    return redirect(f"{document.get_absolute_url()}#document-topics")


def document_print(request, pk: int):
    """The print view: the official text alone on A4 pages (GB/T 9704-2012 5.1, 5.2.1),
    without the site's header, navigation and panels."""
    try:
        document = _readable_document(request, pk)
    except _Refused as refused:
        return refused.response
    return render(request, "documents/print.html", _official_context(request, document))


def document_original(request, pk: int):
    """The file the document was read from, byte for byte as it was uploaded, under its
    original name and content type; for whoever may read the document. Always a
    download (``attachment``): an uploaded HTML file is never shown as a page of the
    platform."""
    try:
        document = _readable_document(request, pk)
    except _Refused as refused:
        return refused.response
    original = selectors.original_of(document)
    if original is None:
        raise Http404(_("The original file of this document was not kept."))
    response = HttpResponse(bytes(original.data), content_type=original.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=document.source.name
    )
    response["Content-Length"] = str(len(original.data))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_perm("ingest_documents")
def ingest(request):
    """Upload one file and show what ingesting it did, findings included; a large file goes
    to the worker and the answer is its job's page, which shows the progress (issue 9,
    item 5)."""
    report = None
    if request.method == "POST":
        form = IngestForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if services.runs_in_background(upload.size):
                    job = services.queue_ingest(upload, actor=request.user, language=get_language())
                    return redirect(job)
                report = services.ingest_file(upload.read(), upload.name, actor=request.user)
            except services.IngestionError as exc:
                report = services.failed_report(upload.name, exc)
            else:
                form = IngestForm()
    else:
        form = IngestForm()
    status = 400 if report is not None and report.failed else 200
    return render(request, "documents/ingest.html", {"form": form, "report": report}, status=status)


@require_perm("ingest_documents")
def ingest_job(request, pk: int):
    """A queued upload's progress; htmx polls it for the status fragment alone until the
    job is done or failed (the fragment then stops polling)."""
    job = get_object_or_404(IngestJob, pk=pk)
    report = IngestionReport.from_dict(job.report) if job.report else None
    partial = request.headers.get("HX-Request")
    template = "documents/_ingest_job.html" if partial else "documents/ingest_job.html"
    return render(request, template, {"job": job, "report": report})
