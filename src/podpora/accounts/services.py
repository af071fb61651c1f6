import hashlib
import secrets

from django.db.models import Q

from .models import ApiToken, User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user: User, label: str = "") -> str:
    token = "pod_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(token), label=label)
    return token


def user_for_token(token: str) -> User | None:
    if not token:
        return None
    row = ApiToken.objects.select_related("user").filter(key_hash=_hash(token)).first()
    if row is None or not row.user.is_active:
        return None
    return row.user


def email_taken(email: str) -> bool:
    """Does an account use this e-mail, as its user name or its address (any case)?"""
    return User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()


def add_staff(vendor_id: int, user: User) -> User:
    """A new staff member of the vendor: no password yet, an e-mailed invitation to set one
    (queued with the row, in its transaction)."""
    from podpora.core.queue import enqueue
    from podpora.mail.tasks import send_staff_invitation

    user.vendor_id = vendor_id
    user.kind = User.Kind.STAFF
    user.is_superuser = False
    user.is_staff = False
    user.set_unusable_password()
    user.save()
    if user.email:
        enqueue(send_staff_invitation, user.pk)
    return user


def staff_change_refusals(
    actor_pk: int | None,
    before: dict,
    after: dict,
    other_configurers: int,
) -> list[str]:
    """Why a change of a staff member's account is refused, in words (none = allowed).

    ``before`` and ``after`` hold the account's ``pk``, ``role``, ``is_active`` and
    ``is_superuser``; ``other_configurers`` counts the vendor's other active managers and
    administrators. Nobody changes their own role, deactivates themselves or takes away their
    own operator's rights (they could not undo it), and a vendor keeps at least one active
    person who configures it."""
    from django.utils.translation import gettext as _

    from .access import CONFIGURING_ROLES

    refusals = []
    own = actor_pk is not None and before["pk"] == actor_pk
    if own and after["role"] != before["role"]:
        refusals.append(
            _("Svou vlastní roli změnit nemůžete; požádejte o to jiného vedoucího podpory.")
        )
    if own and before["is_active"] and not after["is_active"]:
        refusals.append(_("Svůj vlastní účet deaktivovat nemůžete."))
    if own and before["is_superuser"] and not after["is_superuser"]:
        refusals.append(_("Sám sobě práva provozovatele odebrat nemůžete."))

    def configures(state):
        return state["is_active"] and state["role"] in CONFIGURING_ROLES

    if configures(before) and not configures(after) and other_configurers == 0:
        refusals.append(
            _(
                "Dodavatel musí mít alespoň jednoho aktivního vedoucího podpory nebo správce; "
                "nejdřív jmenujte jiného."
            )
        )
    return refusals


def _state(user: User) -> dict:
    return {
        "pk": user.pk,
        "role": user.role,
        "is_active": user.is_active,
        "is_superuser": user.is_superuser,
    }


def refusals_for(actor: User, staff: User, changes: dict, stored: User | None = None) -> list[str]:
    """:func:`staff_change_refusals` for a stored ``staff`` and the ``changes`` asked of it;
    ``stored`` is its row as the database holds it, when the caller has read it already."""
    from .access import CONFIGURING_ROLES

    if staff.pk is None:
        return []
    before = _state(stored or User.objects.get(pk=staff.pk))
    after = {**before, **{k: v for k, v in changes.items() if k in before}}
    if staff.kind == User.Kind.STAFF and staff.vendor_id:
        others = (
            User.objects.filter(
                vendor_id=staff.vendor_id,
                kind=User.Kind.STAFF,
                is_active=True,
                role__in=CONFIGURING_ROLES,
            )
            .exclude(pk=staff.pk)
            .count()
        )
    else:
        others = 1  # an operator or a customer's account: no vendor to keep configured
    return staff_change_refusals(actor.pk, before, after, others)


def update_staff(actor: User, staff: User, fields: list[str]) -> User:
    """Save the ``fields`` changed on ``staff`` (and only them), or refuse the change with a
    :class:`~django.core.exceptions.ValidationError` in words and save nothing."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    columns = {f.name for f in User._meta.concrete_fields}
    fields = [f for f in fields if f in columns]  # many-to-many ones are saved with the form
    with transaction.atomic():
        stored = User.objects.select_for_update().get(pk=staff.pk)
        refusals = refusals_for(actor, staff, {f: getattr(staff, f) for f in fields}, stored)
        if refusals:
            raise ValidationError(refusals)
        if fields:
            staff.save(update_fields=fields)
    return staff
