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
