from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    SCHOOL_COORDINATOR = "school_coordinator", _("School coordinator")
    UNIT_ORGANIZER = "unit_organizer", _("Unit organizer")
    COMMITTEE = "committee", _("City committee")
    EXPERT = "expert", _("Expert")


STAFF_ROLES = frozenset({Role.SCHOOL_COORDINATOR, Role.UNIT_ORGANIZER, Role.COMMITTEE, Role.EXPERT})


class Level(models.TextChoices):
    """Education level (学段) of a student; students are judged per category × level."""

    PRIMARY = "primary", pgettext_lazy("education level", "Primary school")
    JUNIOR = "junior", pgettext_lazy("education level", "Junior high school")
    SENIOR = "senior", pgettext_lazy("education level", "Senior high school (incl. vocational)")
    UNIVERSITY = "university", pgettext_lazy("education level", "University")


class UnitKind(models.TextChoices):
    DISTRICT = "district", _("District")
    UNIVERSITY = "university", _("University")


class SchoolKind(models.TextChoices):
    SCHOOL = "school", _("School")
    UNIVERSITY = "university", _("University")
    INSTITUTION = "institution", _("Off-campus institution")


class SchoolType(models.TextChoices):
    """The type of a school as the education bureaus list it (学校类型)."""

    PRIMARY = "primary", pgettext_lazy("school type", "Primary school")
    JUNIOR = "junior", pgettext_lazy("school type", "Junior high school")
    SENIOR = "senior", pgettext_lazy("school type", "Senior high school")
    VOCATIONAL = "vocational", pgettext_lazy("school type", "Secondary vocational school")
    NINE_YEAR = "nine_year", pgettext_lazy("school type", "Nine-year school")
    COMPLETE = "complete", pgettext_lazy("school type", "Complete secondary school")
    UNIVERSITY = "university", pgettext_lazy("school type", "University")


class TeacherKind(models.TextChoices):
    SCHOOL = "school", _("Primary or secondary school teacher")
    UNIVERSITY = "university", _("University teacher")
    NORMAL_STUDENT = "normal_student", _("Normal-university student")
    INSTITUTION = "institution", _("Teacher at a science museum, children's palace or similar")


class DocumentType(models.TextChoices):
    """Identity documents a student registers with (one of them is required)."""

    RESIDENT_ID = "resident_id", _("Resident identity card (居民身份证)")
    HK_MACAO_PERMIT = (
        "hk_macao_permit",
        _("Mainland travel permit for Hong Kong and Macao residents"),
    )
    TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")
    HMT_RESIDENCE = "hmt_residence", _("Residence permit for Hong Kong, Macao and Taiwan residents")
    FOREIGNER_PR = "foreigner_pr", _("Foreign permanent resident ID card")
    PASSPORT = "passport", _("Passport")


class Gender(models.TextChoices):
    MALE = "male", pgettext_lazy("gender", "Male")
    FEMALE = "female", pgettext_lazy("gender", "Female")


class ConsentSource(models.TextChoices):
    """How a guardian's consent was collected."""

    ONLINE = "online", _("Given online at registration")
    SCHOOL_OFFLINE = "school_offline", _("Collected offline by the school")


class PhoneCodePurpose(models.TextChoices):
    """What an SMS code is for (the codes themselves live in notifications.sms.codes)."""

    VERIFY = "verify", pgettext_lazy("phone code", "Verify phone")
    LOGIN = "login", pgettext_lazy("phone code", "Log in")
    RESET = "reset", pgettext_lazy("phone code", "Reset password")
    # No account yet (registration), or a guardian's number: sent to any valid number,
    # within the same limits; the code proves the number to the person registering.
    REGISTER = "register", pgettext_lazy("phone code", "Register")
    GUARDIAN = "guardian", pgettext_lazy("phone code", "Guardian's phone")


# Codes that are texted whether or not an account holds the number.
OPEN_CODE_PURPOSES = frozenset({PhoneCodePurpose.REGISTER, PhoneCodePurpose.GUARDIAN})
