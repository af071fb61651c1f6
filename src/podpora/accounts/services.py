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
