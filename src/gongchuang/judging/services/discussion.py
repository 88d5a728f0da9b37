"""The experts' discussion of a work, the panel lead and the lead's consensus notes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.submissions.models import Work

from ..models import ConsensusNote, DiscussionPost, Jury
from ..selectors.discussion import LEAD, discussion_access
from .common import ensure_jury_writable

MAX_POST = 2000
MAX_NOTE = 3000


@transaction.atomic
def jury_set_discussion(
    *, jury: Jury, discussion_after_review: bool, lead: User | None, actor
) -> Jury:
    """Set the jury's panel lead (one of its experts, or none) and whether an expert joins a
    work's discussion only after submitting their own review. Audited when changed."""
    ensure_jury_writable(jury)
    jury = Jury.objects.select_for_update().get(pk=jury.pk)
    if lead is not None and not jury.members.filter(pk=lead.pk).exists():
        raise DomainError(_("The panel lead must be one of the jury's experts."), code="lead")
    before = {"discussion_after_review": jury.discussion_after_review, "lead": jury.lead_id}
    after = {"discussion_after_review": discussion_after_review, "lead": lead and lead.pk}
    if before == after:
        return jury
    jury.discussion_after_review = discussion_after_review
    jury.lead = lead
    jury.save(update_fields=["discussion_after_review", "lead"])
    audit_record(
        actor=actor, action="jury.discussion", obj=jury, before=before, after=after,
        edition_id=jury.edition_id,
    )  # fmt: skip
    return jury


@transaction.atomic
def discussion_post(*, jury: Jury, work: Work, body: str, actor: User) -> DiscussionPost:
    """Add a message to the work's discussion; only who may read it may write (audited)."""
    ensure_jury_writable(jury)
    if discussion_access(actor, jury, work) is None:
        raise DomainError(_("You cannot take part in this discussion."), code="forbidden")
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a message first."), code="empty")
    if len(body) > MAX_POST:
        raise DomainError(
            _("A message has at most %(n)s characters.") % {"n": MAX_POST}, code="too_long"
        )
    post = DiscussionPost.objects.create(jury=jury, work=work, author=actor, body=body)
    audit_record(
        actor=actor, action="discussion.post", obj=post, after={"work": work.pk, "body": body},
        edition_id=jury.edition_id,
    )  # fmt: skip
    return post


@transaction.atomic
def consensus_note_save(*, jury: Jury, work: Work, body: str, actor: User) -> ConsensusNote:
    """Write (or rewrite) the panel lead's consensus note on a work; only the jury's lead
    may, for a work whose discussion they may read. Audited with the text before and after."""
    ensure_jury_writable(jury)
    if discussion_access(actor, jury, work) != LEAD:
        raise DomainError(_("Only the jury's panel lead writes consensus notes."), code="forbidden")
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write the consensus note first."), code="empty")
    if len(body) > MAX_NOTE:
        raise DomainError(
            _("A consensus note has at most %(n)s characters.") % {"n": MAX_NOTE},
            code="too_long",
        )
    note = ConsensusNote.objects.select_for_update().filter(jury=jury, work=work).first()
    before = {"body": note.body, "author": note.author_id} if note else None
    if note is None:
        note = ConsensusNote(jury=jury, work=work)
    note.author, note.body = actor, body
    note.save()
    audit_record(
        actor=actor, action="consensus.save", obj=note, before=before,
        after={"work": work.pk, "body": body}, edition_id=jury.edition_id,
    )  # fmt: skip
    return note
