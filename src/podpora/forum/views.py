"""The forum's pages: thin, the services decide who may write what."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from podpora.accounts import access
from podpora.catalog.models import Product
from podpora.core.forms import apply_validation_error
from podpora.core.text import fold
from podpora.customers.models import Vendor

from . import services
from .access import may_moderate, may_take_part
from .models import Post, Topic


class TopicForm(forms.Form):
    title = forms.CharField(label=_lazy("Název tématu"), max_length=200)
    product = forms.ModelChoiceField(
        label=_lazy("Produkt"), queryset=Product.objects.none(), required=False
    )
    body = forms.CharField(
        label=_lazy("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=services.MAX_BODY
    )

    def __init__(self, *args, vendor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(vendor=vendor)


class PostForm(forms.Form):
    body = forms.CharField(
        label=_lazy("Odpověď"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=services.MAX_BODY,
    )


def _forum(request, vendor_slug):
    vendor = get_object_or_404(Vendor, slug=vendor_slug, forum_enabled=True)
    if not may_take_part(request.user, vendor):
        raise Http404("not a member of this forum")
    return vendor


def _topics(request, vendor):
    topics = Topic.objects.filter(vendor=vendor).select_related("product")
    if not may_moderate(request.user, vendor):
        topics = topics.filter(hidden=False)
    return topics


@login_required
def topic_list(request, vendor):
    vendor = _forum(request, vendor)
    q = request.GET.get("q", "").strip()[:200]
    topics = _topics(request, vendor)
    for word in fold(q).split():
        topics = topics.filter(search_text__contains=word)
    page = Paginator(topics.order_by("-pinned", "-last_post_at", "-pk"), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "forum/list.html", {"vendor": vendor, "page": page, "q": q})


@login_required
def topic_new(request, vendor):
    vendor = _forum(request, vendor)
    form = TopicForm(request.POST or None, vendor=vendor)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            topic = services.start_topic(vendor, request.user, d["title"], d["body"], d["product"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("forum-topic", vendor=vendor.slug, pk=topic.pk)
    return render(request, "forum/new.html", {"vendor": vendor, "form": form})


@login_required
def topic_detail(request, vendor, pk):
    vendor = _forum(request, vendor)
    moderator = may_moderate(request.user, vendor)
    posts = Post.objects.order_by("created_at", "pk")
    if not moderator:
        posts = posts.filter(hidden=False)
    topic = (
        _topics(request, vendor)
        .filter(pk=pk)
        .prefetch_related(Prefetch("post_set", queryset=posts, to_attr="shown"))
        .first()
    )
    if topic is None:
        raise Http404("no such topic")
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_post(topic, request.user, form.cleaned_data["body"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied:
            raise Http404("no such topic") from None
        else:
            return redirect("forum-topic", vendor=vendor.slug, pk=topic.pk)
    muted = topic.mutes.filter(user=request.user).exists()
    return render(
        request,
        "forum/topic.html",
        {"vendor": vendor, "topic": topic, "form": form, "moderator": moderator, "muted": muted},
    )


@login_required
@require_POST
def mute(request, vendor, pk):
    vendor = _forum(request, vendor)
    topic = _topics(request, vendor).filter(pk=pk).first()
    if topic is None:
        raise Http404("no such topic")
    muted = request.POST.get("muted") == "on"
    services.set_mute(topic, request.user, muted)
    if muted:
        messages.success(request, _("E-maily z tohoto tématu vám už posílat nebudeme."))
    else:
        messages.success(request, _("O nových příspěvcích v tématu vám dáme vědět e-mailem."))
    return redirect("forum-topic", vendor=vendor.slug, pk=topic.pk)


@login_required
@require_POST
def moderate(request, vendor, pk):
    vendor = get_object_or_404(Vendor, slug=vendor)
    if not may_moderate(request.user, vendor):
        raise Http404("not a moderator")
    topic = get_object_or_404(Topic, vendor=vendor, pk=pk)
    action = request.POST.get("action", "")
    if action == "hide-post":
        post = get_object_or_404(Post, topic=topic, pk=request.POST.get("post"))
        services.hide_post(post, request.user, request.POST.get("reason", ""))
    else:
        flag, _sep, value = action.partition(":")
        try:
            services.set_flag(topic, request.user, flag, value == "on")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("forum-topic", vendor=vendor.slug, pk=topic.pk)
    messages.success(request, _("Uloženo."))
    return redirect("forum-topic", vendor=vendor.slug, pk=topic.pk)


@login_required
def home(request):
    """The forum of the person's own vendor."""
    vendor = access.own_vendor(request.user)
    if vendor is None or not vendor.forum_enabled:
        raise Http404("whose forum?")
    return redirect("forum", vendor=vendor.slug)
