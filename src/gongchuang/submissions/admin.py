"""Read-mostly admin for the committee: states change only through ``transition_work``."""

from django.contrib import admin
from django.db import models

from .models import Authorship, UploadSession, Work, WorkFile


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 0
    fields = ["user", "role", "order", "accepted_at", "holds_slot"]
    readonly_fields = ["user", "role", "accepted_at", "holds_slot"]
    can_delete = False


class WorkFileInline(admin.TabularInline):
    model = WorkFile
    extra = 0
    fields = ["slot", "original_name", "kind", "size", "sha256"]
    readonly_fields = fields
    can_delete = False


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "category", "level", "unit", "school", "state", "submitted_at"]
    list_filter = ["edition", "category", "state", "unit"]
    search_fields = ["code", "title"]
    list_select_related = ["category", "unit", "school"]
    readonly_fields = [
        "edition", "category", "code", "state", "state_reason", "state_changed_at",
        "level", "unit", "school", "created_by", "submitted_at", "created_at", "updated_at",
    ]  # fmt: skip
    inlines = [AuthorshipInline, WorkFileInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False


@admin.register(UploadSession)
class UploadSessionAdmin(admin.ModelAdmin):
    list_display = ["original_name", "user", "work", "slot", "offset", "size", "store",
                    "updated_at"]  # fmt: skip
    readonly_fields = ["token", "work", "slot", "user", "original_name", "size", "offset",
                       "temp_name", "store", "upload_id", "parts", "claim", "claimed_until",
                       "work_file"]  # fmt: skip
