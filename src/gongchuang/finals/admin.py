from django.contrib import admin

from .models import (
    Certificate,
    FinalEvent,
    FinalistAttendance,
    FinalResult,
    OnsiteTask,
    Session,
    SpecialAward,
)


@admin.register(FinalEvent)
class FinalEventAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "edition",
        "starts_on",
        "venue",
        "results_locked_at",
        "results_published_at",
    ]
    readonly_fields = ["results_locked_at", "results_published_at"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "room", "starts_at", "ends_at"]
    list_filter = ["kind"]
    # Judges and finalists are added on the final's own pages (conflict checks, audit).


@admin.register(OnsiteTask)
class OnsiteTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "session", "time_limit_minutes", "released_at"]
    readonly_fields = ["released_at"]


admin.site.register(FinalistAttendance)
admin.site.register(FinalResult)
admin.site.register(SpecialAward)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "award", "work", "user", "issued_on"]
    search_fields = ["code", "work__code", "work__title"]
    readonly_fields = ["code"]
