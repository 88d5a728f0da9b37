from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit history can be searched but never changed."""

    list_display = ["at", "actor_label", "action", "object_repr", "reason", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "object_repr", "reason"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
