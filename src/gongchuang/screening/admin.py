from django.contrib import admin

from .models import DuplicateMatch, PreCheck, Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["work", "stage", "decision", "reviewer", "created_at"]
    list_filter = ["stage", "decision"]
    search_fields = ["work__code", "work__title"]
    raw_id_fields = ["work", "reviewer"]

    def has_change_permission(self, request, obj=None):
        return False  # decisions are history; make a new decision instead


@admin.register(PreCheck)
class PreCheckAdmin(admin.ModelAdmin):
    list_display = ["work", "status", "problem_count", "checked_at"]
    list_filter = ["status"]
    search_fields = ["work__code"]
    raw_id_fields = ["work"]


@admin.register(DuplicateMatch)
class DuplicateMatchAdmin(admin.ModelAdmin):
    list_display = ["work", "other", "kind", "score"]
    raw_id_fields = ["work", "other"]
