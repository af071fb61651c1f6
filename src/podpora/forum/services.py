"""The one writer of the forum: topics, posts and moderation."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from podpora.core import ratelimit
from podpora.core.text import fold

from .access import is_staff_of, may_moderate, may_take_part
from .models import Mute, Post, Topic

MAX_BODY = 10_000
#: posts per person within WINDOW seconds (a runaway script or a flood stops here)
POST_LIMIT, WINDOW = 30, 3600


def _label(user) -> str:
    contact = getattr(user, "contact", None)
    name = user.get_full_name() or user.get_username()
    if contact is not None and contact.organization_id:
        return f"{name} ({contact.organization.name})"
    return name


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Příspěvek nesmí být prázdný.")]})
    if len(body) > MAX_BODY:
        raise ValidationError({"body": [_("Příspěvek může mít nejvýše 10 000 znaků.")]})
    return body


def _limit(user) -> None:
    if ratelimit.hit(f"forum-post:{user.pk}", POST_LIMIT, WINDOW):
        raise ValidationError({"body": [_("Příliš mnoho příspěvků za hodinu; zkuste to později.")]})


@transaction.atomic
def start_topic(vendor, user, title: str, body: str, product=None, *, now=None) -> Topic:
    if not may_take_part(user, vendor):
        raise PermissionDenied
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Zadejte název tématu.")]})
    body = _check_body(body)
    if product is not None and product.vendor_id != vendor.pk:
        raise ValidationError({"product": [_("Produkt patří jinému dodavateli.")]})
    _limit(user)
    now = now or timezone.now()
    topic = Topic.objects.create(
        vendor=vendor,
        product=product,
        title=title[:200],
        author=user,
        created_at=now,
        last_post_at=now,
        posts=1,
        search_text=fold(f"{title}\n{body}"),
    )
    _post(topic, user, body, now)
    return topic


def _post(topic: Topic, user, body: str, now) -> Post:
    return Post.objects.create(
        topic=topic,
        author=user,
        author_label=_label(user),
        by_staff=is_staff_of(user, topic.vendor),
        body=body,
        created_at=now,
    )


@transaction.atomic
def add_post(topic: Topic, user, body: str, *, now=None) -> Post:
    topic = Topic.objects.select_for_update(of=("self",)).select_related("vendor").get(pk=topic.pk)
    if not may_take_part(user, topic.vendor) or topic.hidden:
        raise PermissionDenied
    if topic.locked and not may_moderate(user, topic.vendor):
        raise ValidationError({"body": [_("Téma je uzamčené; další příspěvky nelze přidat.")]})
    body = _check_body(body)
    _limit(user)
    now = now or timezone.now()
    post = _post(topic, user, body, now)
    Topic.objects.filter(pk=topic.pk).update(
        posts=F("posts") + 1,
        last_post_at=now,
        search_text=(topic.search_text + "\n" + fold(body)[:2000])[:100_000],
    )
    _tell_participants(post)
    return post


def _tell_participants(post: Post) -> None:
    """Those who wrote in the topic hear of the new post by e-mail (after the commit)."""
    from podpora.core.queue import enqueue
    from podpora.mail.tasks import send_forum_post

    enqueue(send_forum_post, post.pk)


def participants(post: Post) -> list:
    """Who hears of ``post``: the active people who wrote visible posts in its topic, not its
    author, who may still take part (a deactivated customer or an end user no longer does)."""
    topic = post.topic
    wrote = Post.objects.filter(topic=topic, hidden=False).values("author_id")
    muted = Mute.objects.filter(topic=topic).values("user_id")
    users = (
        get_user_model()
        .objects.filter(pk__in=wrote, is_active=True)
        .exclude(pk=post.author_id)
        .exclude(email="")
        .exclude(pk__in=muted)
        .select_related("contact__organization")  # what may_take_part reads of each
    )
    return [u for u in users.order_by("pk") if may_take_part(u, topic.vendor)]


@transaction.atomic
def hide_post(post: Post, user, reason: str) -> Post:
    topic = post.topic
    if not may_moderate(user, topic.vendor):
        raise PermissionDenied
    post.hidden, post.hidden_reason = True, (reason or "").strip()[:200]
    post.save(update_fields=["hidden", "hidden_reason"])
    return post


FLAGS = ("pinned", "locked", "hidden")


@transaction.atomic
def set_flag(topic: Topic, user, flag: str, value: bool) -> Topic:
    if flag not in FLAGS:
        raise ValidationError({"flag": [_("Neznámá volba.")]})
    if not may_moderate(user, topic.vendor):
        raise PermissionDenied
    setattr(topic, flag, value)
    topic.save(update_fields=[flag])
    return topic


def set_mute(topic: Topic, user, muted: bool) -> None:
    """Stop (or restart) the e-mails of new posts in ``topic`` for ``user``."""
    if not may_take_part(user, topic.vendor):
        raise PermissionDenied
    if muted:
        Mute.objects.get_or_create(topic=topic, user=user)
    else:
        Mute.objects.filter(topic=topic, user=user).delete()
