import json

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from . import health
from .models import JobBatch, JobRun
from .status import job_statuses


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the tool itself: the operator looks, never adds, changes or deletes."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class JobBatchInline(admin.TabularInline):
    """A run spread over the workers: its batches, with the worker that did each and its attempts (a
    second attempt by another worker: the first one died)."""

    model = JobBatch
    extra = 0
    can_delete = False
    fields = readonly_fields = [
        "number",
        "after",
        "up_to",
        "size",
        "status",
        "worker",
        "attempts",
        "started_at",
        "finished_at",
        "counts_text",
        "error_count",
    ]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    """The operator's status page: the last run of every periodic job on top, every run below."""

    change_list_template = "admin/operations/jobrun/change_list.html"
    inlines = [JobBatchInline]
    list_display = [
        "started_at",
        "job",
        "trigger",
        "status",
        "duration_display",
        "batches_display",
        "counts_display",
        "error_count",
    ]
    list_filter = ["job", "status", "trigger"]
    readonly_fields = [
        "job",
        "trigger",
        "status",
        "started_at",
        "finished_at",
        "counts_display",
        "error_count",
        "errors_display",
    ]
    fields = readonly_fields
    date_hierarchy = "started_at"

    @admin.display(description=_("duur"))
    def duration_display(self, obj):
        d = obj.duration
        return f"{d.total_seconds():.1f} s" if d is not None else "—"

    def get_queryset(self, request):
        done = Count("batches", filter=Q(batches__status__in=[JobBatch.Status.DONE, JobBatch.Status.FAILED]))
        return super().get_queryset(request).annotate(batches_total=Count("batches"), batches_done=done)

    @admin.display(description=_("delen klaar"))
    def batches_display(self, obj):
        return f"{obj.batches_done}/{obj.batches_total}" if obj.batches_total else "—"

    @admin.display(description=_("aantallen"))
    def counts_display(self, obj):
        return obj.counts_text or "—"

    @admin.display(description=_("foutmeldingen"))
    def errors_display(self, obj):
        return json.dumps(obj.errors, ensure_ascii=False, indent=1) if obj.errors else "—"

    def changelist_view(self, request, extra_context=None):
        extra = {"job_statuses": job_statuses(), "health": health.run_checks(), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)
