from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, School, StudentProfile, TeacherProfile, Unit, User
from .passwords import password_change_audit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit", "school"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "real_name", "email", "mobile", "is_active", "is_staff"]
    search_fields = ["username", "real_name", "email", "mobile"]
    inlines = [MembershipInline]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Gongchuang"),
            {
                "fields": [
                    "real_name",
                    "mobile",
                    "is_anonymised",
                    "password_changed_at",
                    "must_change_password",
                ]
            },
        ),
    )
    readonly_fields = ["password_changed_at"]

    def save_model(self, request, obj, form, change):
        # A password an administrator chose for someone else is a one-time password: the
        # person must choose their own at first login (accounts.onboarding).
        if not change and obj.has_usable_password():
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # the form was valid
            user = self.get_object(request, unquote(id))
            if user.pk != request.user.pk and user.has_usable_password():
                user.must_change_password = True
                user.save(update_fields=["must_change_password"])
            password_change_audit(user=user, actor=request.user, how="admin")
        return response


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "order"]
    search_fields = ["code", "name"]
    list_filter = ["kind"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit", "kind", "school_type", "is_active"]
    search_fields = ["name", "code"]
    list_filter = ["unit", "kind", "school_type", "is_active"]


@admin.register(StudentProfile)
class StudentProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "level", "unit", "school", "grade"]
    list_filter = ["level", "unit"]
    search_fields = ["user__username", "user__real_name"]
    # The keyed identity hashes are never shown or edited by hand; the document only
    # changes with them (void and merge: the committee's duplicate persons page).
    # The guardian's number is shown masked only (like everywhere staff see it).
    exclude = ["national_id_hash", "identity_key", "person_key", "guardian_phone"]
    readonly_fields = [
        "document_type", "national_id_last4", "masked_guardian_phone", "guardian_sms",
        "guardian_phone_verified_at", "guardian_consent_at", "guardian_consent_version",
        "voided_at", "void_reason",
    ]  # fmt: skip


@admin.register(TeacherProfile)
class TeacherProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "unit", "school", "subject"]
    list_filter = ["kind", "unit"]
