"""Read-mostly admin of the library: documents are written by ingestion, not by hand; a
correction made here is audited with before and after (issue 9, point 4)."""

from django.contrib import admin

from shuzheng.admin_classes import AuditedAdmin
from shuzheng.documents.models import (
    Attachment,
    Citation,
    Document,
    Gazette,
    IngestionFinding,
    Section,
    SourceFile,
)


class IngestedRecordAdmin(AuditedAdmin):
    """Rows only ingestion creates (their offsets, digests and findings come from the parser):
    the admin corrects and deletes them, audited, but never adds one."""

    def has_add_permission(self, request):
        return False


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["position", "path", "heading", "level", "anchor", "start", "end"]
    readonly_fields = fields


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


class CitationInline(admin.TabularInline):
    model = Citation
    fk_name = "document"
    extra = 0
    raw_id_fields = ["target"]


@admin.register(Document)
class DocumentAdmin(IngestedRecordAdmin):
    list_display = ["title", "doc_number", "doc_type", "written_on", "version", "is_current"]
    list_filter = ["doc_type", "disclosure", "validity", "is_current"]
    search_fields = ["title", "doc_number"]
    raw_id_fields = ["gazette", "source", "transmitted_by", "previous_version"]
    filter_horizontal = ["issuers"]
    readonly_fields = ["identity", "content_sha256", "start", "end"]
    inlines = [SectionInline, AttachmentInline, CitationInline]


@admin.register(Gazette)
class GazetteAdmin(AuditedAdmin):
    list_display = ["title", "issue_no", "serial_no", "published_on"]


@admin.register(SourceFile)
class SourceFileAdmin(IngestedRecordAdmin):
    list_display = ["name", "source_format", "encoding", "size", "ingested_at", "ingested_by"]
    readonly_fields = ["sha256", "size", "ingested_at"]
    exclude = ["text"]


@admin.register(IngestionFinding)
class IngestionFindingAdmin(IngestedRecordAdmin):
    list_display = ["severity", "code", "message", "source", "document"]
    list_filter = ["severity", "code"]
    raw_id_fields = ["source", "document"]
