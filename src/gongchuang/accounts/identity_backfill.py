"""Computing the document and person keys of students registered before they existed.

Used by the data migration ``submissions.0006_identity_keys`` (with the historical
models) and testable with the real ones. Nothing is dropped: where two accounts of
one person already hold two slots of an edition, the later one keeps its slot
without a person key, and the conflict is reported (returned, printed and audited)
for the committee to resolve on the "possible duplicate persons" page.
"""

from collections.abc import Callable

from .enums import DocumentType
from .identity import person_key

BATCH = 1000


def backfill_identity_keys(
    *, profile_model, authorship_model, audit_model, say: Callable[[str], None] = print
) -> list[dict]:
    """Fill ``person_key`` (and the 居民身份证 document type) of profiles and authorships.

    Returns the conflicts: one dict per slot that shares its person key with an earlier
    slot of the same edition (``edition``, ``authorship``, ``user``, ``holder_user``).
    """
    keys = _backfill_profiles(profile_model)
    conflicts = _backfill_authorships(authorship_model, keys)
    missing = profile_model.objects.filter(document_type="").count()
    for conflict in conflicts:
        say(
            "identity conflict: edition {edition}, user {user} holds a slot of the same "
            "person as user {holder_user}; kept, without a person key".format(**conflict)
        )
        audit_model.objects.create(
            actor_label="system",
            action="identity.backfill_conflict",
            object_repr=f"user {conflict['user']}",
            object_id=str(conflict["user"]),
            edition_id=conflict["edition"],
            after=conflict,
            reason="two accounts of one person already held two slots of an edition",
        )
    if missing:
        say(f"identity: {missing} student account(s) have no identity document yet")
    return conflicts


def _backfill_profiles(profile_model) -> dict[int, str]:
    """Person key of every profile (none for anonymised accounts); user id → key."""
    keys: dict[int, str] = {}
    batch = []
    profiles = profile_model.objects.select_related("user").order_by("pk")
    for profile in profiles.iterator(chunk_size=BATCH):
        user = profile.user
        profile.person_key = (
            ""
            if user.is_anonymised
            else person_key(real_name=user.real_name, birth_date=profile.birth_date)
        )
        if profile.national_id_hash and not profile.document_type:
            profile.document_type = DocumentType.RESIDENT_ID
        keys[profile.user_id] = profile.person_key
        batch.append(profile)
        if len(batch) >= BATCH:
            profile_model.objects.bulk_update(batch, ["person_key", "document_type"])
            batch = []
    profile_model.objects.bulk_update(batch, ["person_key", "document_type"], batch_size=BATCH)
    return keys


def _backfill_authorships(authorship_model, keys: dict[int, str]) -> list[dict]:
    holders: dict[tuple[int, str], int] = {}  # (edition, person key) → user holding the slot
    conflicts: list[dict] = []
    batch = []
    rows = authorship_model.objects.filter(user_id__in=list(keys))
    # Slots first, oldest first: the earliest slot of a person keeps the person key.
    for authorship in rows.order_by("-holds_slot", "pk").iterator(chunk_size=BATCH):
        key = keys.get(authorship.user_id, "")
        if key and authorship.holds_slot:
            holder = holders.setdefault((authorship.edition_id, key), authorship.user_id)
            if holder != authorship.user_id:
                conflicts.append(
                    {
                        "edition": authorship.edition_id,
                        "authorship": authorship.pk,
                        "user": authorship.user_id,
                        "holder_user": holder,
                    }
                )
                key = ""
        authorship.person_key = key
        batch.append(authorship)
    authorship_model.objects.bulk_update(batch, ["person_key"], batch_size=BATCH)
    return conflicts
