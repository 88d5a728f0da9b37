"""Writes on works. ``transition_work`` is the only code that changes a work's state."""

import errno
import hashlib
from typing import BinaryIO

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.common.files.malware import upload_refuse_if_infected
from gongchuang.common.files.names import clean_filename
from gongchuang.common.files.validate import validate_upload
from gongchuang.common.state import apply_transition
from gongchuang.editions.enums import Step, Track
from gongchuang.editions.models import Category, Edition
from gongchuang.editions.rules import ensure_edition_writable

from . import rules
from .ai_use import ai_declaration_problems, check_tool_list, labels_of_upload
from .enums import EDITABLE_STATES, WORK_TRANSITIONS, AuthorRole, WorkState
from .files import without_metadata
from .models import Authorship, Work, WorkCodeCounter, WorkFile
from .slots import (
    ONE_WORK_MESSAGE,
    is_slot_violation,
    linked_keys,
    profile_keys,
    slot_holder,
    slot_must_be_free,
    slot_taken_error,
)


def transition_work(
    work: Work, to: str, *, actor, reason: str = "", already_locked: bool = False
) -> Work:
    """Move ``work`` to state ``to``: checks the table, records who/when/from/to/why.

    Side effects in the same transaction: a work code on first submission; the
    one-work-per-student slot claimed on submission (DomainError if the student
    already has a work in this edition) and released on withdrawal. After commit,
    the people concerned are notified (``work_state_changed`` signal).
    Permission checks are the caller's (each workflow has its own rules); an
    archived edition's works never move (DomainError ``archived``). ``already_locked``:
    the caller read ``work`` with ``select_for_update`` in its open transaction and ends
    that transaction on an error (so no savepoint is set: two round trips fewer).
    """
    ensure_edition_writable(work.edition)
    extra = {"state_reason": reason, "state_changed_at": timezone.now()}
    try:
        with transaction.atomic(savepoint=not already_locked):
            if to == WorkState.SUBMITTED and not work.submitted_at:
                extra["submitted_at"] = timezone.now()
            if to == WorkState.SUBMITTED and not work.code:
                extra["code"] = _next_work_code(work)
            updated = apply_transition(
                work,
                table=WORK_TRANSITIONS,
                target=to,
                actor=actor,
                reason=reason,
                action="work.transition",
                extra_updates=extra,
                already_locked=already_locked,
            )
            updated.edition = work.edition  # loaded by the check above; spares receivers a query
            _update_slots(updated)
    except IntegrityError as exc:
        if is_slot_violation(exc):
            raise DomainError(ONE_WORK_MESSAGE, code="one_work_per_student") from exc
        raise
    from .signals import work_state_changed

    # robust: the change is committed; a failing receiver (notifications, pre-check; e.g. the
    # database going away right after the commit) is logged, never turned into an error page.
    transaction.on_commit(
        lambda: work_state_changed.send(
            sender=Work, work=updated, actor=actor, reason=reason, source=updated.transition_source
        ),
        robust=True,
    )
    return updated


def _update_slots(work: Work) -> None:
    holds = work.state not in (WorkState.DRAFT, WorkState.WITHDRAWN)
    students = Authorship.objects.filter(work=work, role=AuthorRole.AUTHOR).exclude(identity_key="")
    students.exclude(holds_slot=holds).update(holds_slot=holds)


def _next_work_code(work: Work) -> str:
    counter, _created = WorkCodeCounter.objects.select_for_update().get_or_create(
        edition_id=work.edition_id, category_id=work.category_id, unit_id=work.unit_id
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{work.edition.code}-{work.category.short_code}-{work.unit.code}-{counter.last:04d}"


# --- Drafts ----------------------------------------------------------------

EDITABLE_FIELDS = frozenset(
    {
        "title",
        "abstract",
        "keywords",
        "ai_tool_list",
        "ai_tools",
        "ai_generated",
        "ai_contribution",
        "ai_process",
        "originality_pledge",
        "showcase_consent",
        "link",
    }
)
ABSTRACT_MAX_CHARS = 500
# DOMAIN.md: an artwork image is at most 20 MB even where the slot allows 500 MB of video.
IMAGE_MAX_BYTES = 20 * 1024 * 1024


def _window_must_be_open(edition: Edition) -> None:
    if not edition.is_open(Step.SUBMISSION):
        raise DomainError(
            _("The submission window of this edition is closed; works can no longer be changed."),
            code="window_closed",
        )


def _profile_for(user: User, category: Category):
    """The author's student or teacher profile matching the category's track."""
    if category.track == Track.TEACHER:
        profile = getattr(user, "teacher_profile", None)
        if profile is None:
            raise DomainError(
                _("Only registered teachers can submit a teaching case."), code="not_teacher"
            )
        return profile
    profile = getattr(user, "student_profile", None)
    if profile is None:
        raise DomainError(
            _("Only registered students can submit works in this category."), code="not_student"
        )
    if not category.accepts_level(profile.level):
        raise DomainError(
            _("Your education level cannot take part in the category “%(category)s”.")
            % {"category": category.name},
            code="level_not_eligible",
        )
    return profile


def _check_abstract(fields: dict) -> None:
    if len(fields.get("abstract") or "") > ABSTRACT_MAX_CHARS:
        raise DomainError(
            _("The abstract may have at most %(n)d characters.") % {"n": ABSTRACT_MAX_CHARS},
            code="abstract_too_long",
        )


@transaction.atomic
def work_create(*, actor: User, edition: Edition, category: Category, **fields) -> Work:
    """Create a draft with ``actor`` as its first (accepted) author.

    Refused in an archived edition, outside the submission window and for a category
    the actor's track or level does not allow. ``fields`` are among :data:`EDITABLE_FIELDS`.
    """
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if category.edition_id != edition.pk:
        raise ValueError("category of another edition")
    ensure_edition_writable(edition)
    _window_must_be_open(edition)
    _check_abstract(fields)
    check_tool_list(fields)
    profile = _profile_for(actor, category)
    document, person = profile_keys(profile)
    slot_must_be_free(edition_id=edition.pk, keys=[(document, person)])
    work = Work.objects.create(
        edition=edition,
        category=category,
        level="" if category.track == Track.TEACHER else profile.level,
        unit_id=profile.unit_id,
        school_id=profile.school_id,
        created_by=actor,
        showcase_consent_at=timezone.now() if fields.get("showcase_consent") else None,
        **fields,
    )
    Authorship.objects.create(
        work=work,
        edition=edition,
        user=actor,
        role=AuthorRole.AUTHOR,
        order=0,
        identity_key=document,
        person_key=person,
        accepted_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="work.create",
        obj=work,
        after={"category": category.code, "title": work.title},
    )
    return work


def _check_editable(work: Work, actor: User) -> None:
    """Raise the precise reason why ``actor`` may not change ``work`` now (if any)."""
    ensure_edition_writable(work.edition)
    if not rules.is_author(actor, work):
        raise DomainError(_("Only the authors of this work may change it."), code="not_author")
    if work.state not in EDITABLE_STATES:
        raise DomainError(
            _("This work can no longer be changed in its current state."), code="not_editable"
        )
    _window_must_be_open(work.edition)


# A work's edition, category and unit never change: the lock re-reads the work's own row
# and keeps the caller's copies of these when it has them.
_FIXED_RELATIONS = ("edition", "category", "unit")


def _locked_editable(
    work: Work, actor: User, *, prefetch: tuple[str, ...] = (), refresh: tuple[str, ...] = ()
) -> Work:
    """Re-read the work under a row lock and check that ``actor`` may still edit it.

    Checked on the locked row at the time of the request: a form opened before
    the deadline (or before a state change) is refused when it is sent after it.
    The authorships are read under the lock (the team changes under it too), with
    ``prefetch``. The edition (and its windows), category and unit are the caller's
    when it loaded them in this request (the lock covers none of them either way), and
    the deadline is compared with the clock now. Call inside a transaction.

    With ``refresh`` (it must include ``state``), only those columns are re-read under the
    lock, into ``work`` itself: for changes that depend on nothing else of the row (an
    upload), the rest of the caller's copy stands.
    """
    if refresh:
        fresh = Work.objects.select_for_update().filter(pk=work.pk).values(*refresh).get()
        for name, value in fresh.items():
            setattr(work, name, value)
        getattr(work, "_prefetched_objects_cache", {}).pop("authorships", None)
        locked = work
    else:
        held = {name for name in _FIXED_RELATIONS if Work._meta.get_field(name).is_cached(work)}
        locked = (
            Work.objects.select_for_update(of=("self",))
            .select_related(*(name for name in _FIXED_RELATIONS if name not in held))
            .get(pk=work.pk)
        )
        for name in held:
            setattr(locked, name, getattr(work, name))
    prefetch_related_objects([locked], "authorships", *prefetch)
    _check_editable(locked, actor)
    return locked


@transaction.atomic
def work_update(*, work: Work, actor: User, **fields) -> Work:
    """Change the editable fields of a draft or returned work (audited: names of changed fields)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = _locked_editable(work, actor)
    _check_abstract(fields)
    check_tool_list(fields)
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, fields[name])
    if "showcase_consent" in changed:
        locked.showcase_consent_at = timezone.now() if locked.showcase_consent else None
        changed.append("showcase_consent_at")
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action="work.update", obj=locked, after={"fields": changed})
    return locked


def submission_problems(work: Work) -> list[str]:
    """What still keeps ``work`` from being submitted, as sentences for its authors.

    Empty when the work is complete. Used by the submit service and the pages
    ("what is missing"). Reads ``work.authorships`` and ``work.files`` (prefetch them).
    """
    problems: list[str] = []
    category = work.category
    if not work.title.strip():
        problems.append(_("The title is missing."))
    if not work.abstract.strip():
        problems.append(_("The abstract is missing."))
    if not work.keywords.strip():
        problems.append(_("The keywords are missing."))
    problems.extend(ai_declaration_problems(work))
    if not work.originality_pledge:
        problems.append(_("The originality pledge has not been accepted."))
    slots = {f.slot for f in work.files.all()}
    for material in category.materials:
        if not material.get("required"):
            continue
        if material["key"] in slots or (material.get("allows_link") and work.link):
            continue
        problems.append(_("Missing material: %(label)s.") % {"label": material["label"]})
    people = list(work.authorships.all())
    authors = [a for a in people if a.role == AuthorRole.AUTHOR]
    advisors = [a for a in people if a.role == AuthorRole.ADVISOR]
    if len(authors) > category.max_authors:
        problems.append(
            _("This category allows at most %(n)d authors.") % {"n": category.max_authors}
        )
    if len(advisors) > category.max_advisors:
        problems.append(
            _("This category allows at most %(n)d advisors.") % {"n": category.max_advisors}
        )
    if any(a.accepted_at is None for a in people):
        problems.append(
            _("Some invitations have not been answered yet; wait for them or cancel them.")
        )
    if category.track == Track.STUDENT and not category.accepts_level(work.level):
        problems.append(
            _("Your education level cannot take part in the category “%(category)s”.")
            % {"category": category.name}
        )
    return problems


def work_submit(*, work: Work, actor: User) -> Work:
    """Submit a draft (or resubmit a returned work) after checking every rule.

    Raises DomainError: not an author, not editable, window closed (checked now,
    on the server), something missing, or the student already has a submitted
    work in this edition (the database constraint, claimed by ``transition_work``).
    """
    try:
        with transaction.atomic():
            locked = _locked_editable(work, actor, prefetch=("files",))
            slot_must_be_free(
                edition_id=locked.edition_id,
                keys=[(a.identity_key, a.person_key) for a in locked.authorships.all()],
                exclude_work_id=locked.pk,
                lock=True,
            )
            problems = submission_problems(locked)
            if problems:
                raise DomainError(" ".join(str(p) for p in problems), code="incomplete")
            return transition_work(locked, WorkState.SUBMITTED, actor=actor, already_locked=True)
    except DomainError as exc:
        if exc.code != "one_work_per_student" or exc.message is not ONE_WORK_MESSAGE:
            raise
        # Lost a race at the constraint (its transaction is gone): name the holder now.
        keys = linked_keys(list(work.authorships.values_list("identity_key", "person_key")))
        holder = slot_holder(edition_id=work.edition_id, keys=keys, exclude_work_id=work.pk)
        raise slot_taken_error(holder) from exc


def work_withdraw(*, work: Work, actor: User, reason: str = "") -> Work:
    """Withdraw a work before qualification (authors only); frees the one-work slot."""
    with transaction.atomic():
        locked = (
            Work.objects.select_for_update(of=("self",)).select_related("edition").get(pk=work.pk)
        )
        ensure_edition_writable(locked.edition)
        if not rules.can_withdraw(actor, locked):
            raise DomainError(
                _("This work cannot be withdrawn in its current state."), code="not_withdrawable"
            )
        return transition_work(locked, WorkState.WITHDRAWN, actor=actor, reason=reason)


# --- Team: invitations of authors and advisors ------------------------------


def _locked_team_work(work: Work, actor: User) -> Work:
    locked = (
        Work.objects.select_for_update(of=("self",))
        .select_related("edition", "category")
        .get(pk=work.pk)
    )
    ensure_edition_writable(locked.edition)
    if not rules.is_creator(actor, locked):
        raise DomainError(
            _("Only the person who created the work can change its team."), code="not_creator"
        )
    if locked.state != WorkState.DRAFT:
        raise DomainError(
            _("The team can only be changed while the work is a draft."), code="not_draft"
        )
    _window_must_be_open(locked.edition)
    return locked


@transaction.atomic
def invitation_create(*, work: Work, actor: User, username: str, role: str) -> Authorship:
    """Invite a registered person as co-author or advisor; they must accept.

    Co-authors of a student work are students of an eligible level; co-authors of
    a teaching case are teachers; advisors are teachers (student works only).
    Limits count pending invitations too.
    """
    locked = _locked_team_work(work, actor)
    category = locked.category
    invitee = User.objects.filter(username=username.strip(), is_active=True).first()
    if invitee is None:
        raise DomainError(_("No registered user has this username."), code="no_such_user")
    if Authorship.objects.filter(work=locked, user=invitee).exists():
        raise DomainError(_("This person is already on the work."), code="already_member")
    identity_key = person_key = ""
    if role == AuthorRole.ADVISOR:
        if category.track == Track.TEACHER:
            raise DomainError(_("Teaching cases have no advisors."), code="no_advisors")
        if not hasattr(invitee, "teacher_profile"):
            raise DomainError(_("Advisors must be registered teachers."), code="not_teacher")
        limit = category.max_advisors
    elif role == AuthorRole.AUTHOR:
        profile = _profile_for(invitee, category)
        identity_key, person_key = profile_keys(profile)
        slot_must_be_free(edition_id=locked.edition_id, keys=[(identity_key, person_key)])
        limit = category.max_authors
    else:
        raise ValueError(role)
    count = Authorship.objects.filter(work=locked, role=role).count()
    if count >= limit:
        raise DomainError(
            _("This category allows at most %(n)d people in this role.") % {"n": limit},
            code="team_full",
        )
    authorship = Authorship.objects.create(
        work=locked,
        edition_id=locked.edition_id,
        user=invitee,
        role=role,
        order=count,
        identity_key=identity_key,
        person_key=person_key,
    )
    audit_record(
        actor=actor,
        action="work.invite",
        obj=locked,
        after={"user": invitee.pk, "role": role},
    )
    from gongchuang.notifications.services import notify_kind

    notify_kind(
        recipients=[invitee],
        kind="team.invitation",
        context={
            "inviter": actor.display_name,
            "title": locked.title,
            "role": str(AuthorRole(role).label),
        },
        url="/works/",
    )
    return authorship


@transaction.atomic
def invitation_respond(*, authorship: Authorship, actor: User, accept: bool) -> Authorship | None:
    """Accept or decline one's own pending invitation while the work is a draft."""
    locked = (
        Authorship.objects.select_for_update(of=("self", "work"))
        .select_related("work__edition")
        .get(pk=authorship.pk)
    )
    ensure_edition_writable(locked.work.edition)
    if locked.user_id != actor.pk or locked.accepted_at is not None:
        raise DomainError(_("This invitation is not open."), code="not_pending")
    if locked.work.state != WorkState.DRAFT:
        raise DomainError(
            _("The team can only be changed while the work is a draft."), code="not_draft"
        )
    if accept:
        slot_must_be_free(
            edition_id=locked.edition_id, keys=[(locked.identity_key, locked.person_key)]
        )
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
    audit_record(
        actor=actor,
        action="work.invitation_accept" if accept else "work.invitation_decline",
        obj=locked.work,
        after={"user": actor.pk, "role": locked.role},
    )
    if not accept:
        locked.delete()
        return None
    return locked


@transaction.atomic
def member_remove(*, authorship: Authorship, actor: User) -> None:
    """The creator removes a co-author/advisor (or cancels an invitation) of a draft."""
    locked = _locked_team_work(authorship.work, actor)
    if authorship.user_id == locked.created_by_id:
        raise DomainError(_("The creator cannot be removed."), code="creator")
    Authorship.objects.filter(pk=authorship.pk, work=locked).delete()
    audit_record(
        actor=actor,
        action="work.member_remove",
        obj=locked,
        before={"user": authorship.user_id, "role": authorship.role},
    )


# --- Files -------------------------------------------------------------------

HASH_CHUNK = 1024 * 1024


def sha256_of(fileobj: BinaryIO) -> str:
    """SHA-256 of a file read in 1 MiB chunks (constant memory); position is reset to 0."""
    digest = hashlib.sha256()
    fileobj.seek(0)
    while chunk := fileobj.read(HASH_CHUNK):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def workfile_store(*, work: Work, slot: str, fileobj: BinaryIO, name: str, actor: User) -> WorkFile:
    """Validate an uploaded material by its content and store it under an unguessable name.

    ``fileobj`` is read in chunks only (a temporary upload file or our resumable
    upload's file on disk): memory stays constant for any size. Validation, the
    virus scan (common.malware: infected or unscannable files are refused, infected
    ones quarantined and audited), hashing and copying to storage happen outside
    the transaction (a 1 GB video must not hold the work's row lock, or SQLite's
    write lock, for seconds); the permission/state/window checks are repeated under the lock
    before the file is recorded. A single-file material replaces the previous
    file. A thumbnail/poster is made by a background task after commit.
    """
    # A first check on the caller's copy (cheap: views pass it with authorships and windows
    # prefetched); the authoritative one is repeated on the locked row before recording.
    current = work
    if not rules.can_edit(actor, current):
        _check_editable(current, actor)  # raises the precise reason
    material = current.category.material(slot)
    if material is None:
        raise DomainError(_("This work has no such material."), code="no_such_slot")
    sniffed = validate_upload(
        fileobj,
        name=name,
        allowed_kinds=frozenset(material["kinds"]),
        max_bytes=material["max_bytes"],
    )
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    if sniffed.kind == "image" and size > min(IMAGE_MAX_BYTES, material["max_bytes"]):
        raise DomainError(
            _("Images may be at most 20 MB; please export a smaller image."), code="too_large"
        )
    upload_refuse_if_infected(fileobj, name=name, actor=actor, obj=current, detail={"slot": slot})
    # The implicit AI labels are read before the metadata that may carry them is stripped.
    ai_label = labels_of_upload(fileobj, sniffed)
    clean = without_metadata(fileobj, sniffed)
    try:
        return _record_work_file(
            current=current, actor=actor, slot=slot, material=material, sniffed=sniffed,
            fileobj=clean or fileobj, name=name, ai_label=ai_label,
        )  # fmt: skip
    finally:
        if clean is not None:
            clean.close()


def _record_work_file(
    *, current, actor, slot, material, sniffed, fileobj, name, ai_label
) -> WorkFile:
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    work_file = WorkFile(
        work=current,
        slot=slot,
        original_name=clean_filename(name)[:200] or f"{slot}.{sniffed.extension}",
        size=size,
        sha256=sha256_of(fileobj),
        mime=sniffed.mime,
        kind=sniffed.kind,
        ai_label=ai_label,
        uploaded_by=actor,
    )
    try:
        work_file.file.save(f"{slot}.{sniffed.extension}", File(fileobj), save=False)
    except OSError as exc:  # disk full or quota exceeded: say so, record nothing
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        raise DomainError(
            _("The server's storage is full, so the file was not saved. Please try again later."),
            code="storage_full",
        ) from exc
    stored_name = work_file.file.name
    try:
        with transaction.atomic():
            # The state and the team decide; the file belongs to the work whatever its title.
            locked = _locked_editable(current, actor, refresh=("state",))
            if not material.get("multiple"):
                for old in WorkFile.objects.filter(work=locked, slot=slot):
                    _delete_work_file(old)
            work_file.save()
            audit_record(
                actor=actor,
                action="work.file_add",
                obj=locked,
                after={
                    "slot": slot,
                    "name": work_file.original_name,
                    "sha256": work_file.sha256,
                    "size": size,
                    "ai_label": ai_label,
                },
            )
            if sniffed.kind in ("image", "video"):
                from .tasks import make_preview

                transaction.on_commit(lambda: make_preview.enqueue(work_file.pk))
    except Exception:
        work_file.file.storage.delete(stored_name)
        raise
    return work_file


def _delete_work_file(work_file: WorkFile) -> None:
    names = [n for n in (work_file.file.name, work_file.thumbnail.name) if n]
    storage = work_file.file.storage
    work_file.delete()
    # Remove the bytes only once the database change is final.
    transaction.on_commit(lambda: [storage.delete(n) for n in names])


@transaction.atomic
def workfile_delete(*, work_file: WorkFile, actor: User) -> None:
    locked = _locked_editable(work_file.work, actor)
    audit_record(
        actor=actor,
        action="work.file_delete",
        obj=locked,
        before={"slot": work_file.slot, "name": work_file.original_name},
    )
    _delete_work_file(work_file)
