from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from podpora.accounts import login, password, twofactor
from podpora.api.routes import api
from podpora.core import views as core_views
from podpora.desk import facts as desk_facts
from podpora.desk import overview_views as desk_overviews
from podpora.desk import report_views, ticketpage
from podpora.desk import views as desk
from podpora.forum import views as forum
from podpora.kb import views as kb
from podpora.portal import account as portal_account
from podpora.portal import contract, downloads, people, registration, specialists, webform
from podpora.portal import views as portal
from podpora.satisfaction import views as satisfaction
from podpora.search import views as search
from podpora.vendoradmin.admin import site as vendor_admin_site

portal_patterns = [
    path("", portal.ticket_list, name="list"),
    path("new/", portal.ticket_new, name="new"),
    path("tickets/<str:number>/", portal.ticket_detail, name="detail"),
    path("tickets/<str:number>/message/", portal.ticket_message, name="message"),
    path("tickets/<str:number>/state/", portal.ticket_state, name="state"),
    path("tickets/<str:number>/quote/", portal.quote_decision, name="quote"),
    path("t/<str:token>/", portal.public_ticket, name="public"),
    path("t/<str:token>/rating/", satisfaction.public_rate, name="public-rate"),
    path("tickets/<str:number>/rating/", satisfaction.portal_rate, name="rate"),
    path("contract/", contract.contract_page, name="contract"),
    path("downloads/", downloads.release_list, name="downloads"),
    path("downloads/<int:file_id>/", downloads.release_file, name="download"),
]
desk_patterns = [
    path("", desk_overviews.queue, name="queue"),
    path("search/", search.page, name="search"),
    path("views/", desk_overviews.save_view, name="save_view"),
    path("views/<int:pk>/delete/", desk_overviews.delete_view, name="delete_view"),
    path("bulk/", desk_overviews.bulk_action, name="bulk"),
    path("notifications/", desk_overviews.notification_list, name="notifications"),
    path("notifications/read/", desk_overviews.notification_read, name="notifications_read"),
    path("notifications/<int:pk>/", desk_overviews.notification_open, name="notification"),
    path("tickets/<str:number>/", desk.detail, name="detail"),
    path("new/", ticketpage.new_ticket, name="new"),
    path("tickets/<str:number>/reply/", ticketpage.reply, name="reply"),
    path("tickets/<str:number>/compose/", ticketpage.compose, name="compose"),
    path("tickets/<str:number>/macro/", ticketpage.apply_macro, name="apply_macro"),
    path("tickets/<str:number>/assign-me/", ticketpage.assign_me, name="assign_me"),
    path("tickets/<str:number>/link/", ticketpage.link, name="link"),
    path("tickets/<str:number>/merge/", ticketpage.merge, name="merge"),
    path("tickets/<str:number>/split/", ticketpage.split, name="split"),
    path("tickets/<str:number>/presence/", ticketpage.presence, name="presence"),
    path("tickets/<str:number>/note/", desk.note, name="note"),
    path("tickets/<str:number>/state/", desk.state, name="state"),
    path("tickets/<str:number>/priority/", desk.priority, name="priority"),
    path("tickets/<str:number>/assign/", desk.assign, name="assign"),
    path("tickets/<str:number>/escalate/", desk.escalate, name="escalate"),
    path("tickets/<str:number>/entitlement/", desk.entitlement, name="entitlement"),
    path("tickets/<str:number>/confirm-bug/", desk.confirm_bug, name="confirm_bug"),
    path("tickets/<str:number>/cause/", desk.cause, name="cause"),
    path("tickets/<str:number>/reclassify/", desk.reclassify, name="reclassify"),
    path("tickets/<str:number>/request-data/", desk.request_data, name="request_data"),
    path("tickets/<str:number>/data-received/", desk.data_received, name="data_received"),
    path("tickets/<str:number>/fixed-in/", desk.fixed_in, name="fixed_in"),
    path("tickets/<str:number>/facts/", desk_facts.set_facts, name="facts"),
    path("tickets/<str:number>/quote/", desk.send_quote, name="send_quote"),
    path("tickets/<str:number>/quote/deliver/", desk.deliver_quote, name="deliver_quote"),
    path("tickets/<str:number>/problem/", desk.link_problem, name="link_problem"),
    path("tickets/<str:number>/root-cause/", desk.root_cause, name="root_cause"),
    path("tickets/<str:number>/kb-draft/", kb.draft_from_ticket, name="kb_draft"),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("accounts/login/", login.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", password.ResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/2fa/setup/", twofactor.setup, name="two_factor_setup"),
    path("accounts/2fa/", twofactor.verify, name="two_factor_verify"),
    path("accounts/2fa/disable/", twofactor.disable, name="two_factor_disable"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("portal/register/", registration.register, name="register"),
    path("portal/licences/", registration.licences, name="licences"),
    path("portal/people/", people.people_list, name="people"),
    path("portal/account/", login_required(portal_account.account_page), name="monthly-account"),
    path(
        "portal/account/pdf/",
        login_required(portal_account.account_pdf),
        name="monthly-account-pdf",
    ),
    path("portal/people/<int:pk>/", people.person_detail, name="person"),
    path("portal/people/<int:pk>/invite/", people.person_invite, name="person-invite"),
    path("portal/people/<int:pk>/confirm/", people.person_confirm, name="person-confirm"),
    path("portal/", include((portal_patterns, "portal"))),
    path("desk/billing/", include("podpora.billing.urls")),
    path("desk/reports/", report_views.report_view, name="reports"),
    path("desk/dashboard/", report_views.dashboard, name="dashboard"),
    path("desk/dashboard/<slug:name>/", report_views.dashboard_export, name="dashboard-export"),
    path("desk/phone/", include("podpora.desk.phone_urls")),
    path("desk/macros/", include("podpora.macros.urls")),
    path("desk/", include((desk_patterns, "desk"))),
    path("desk/mail/", include("podpora.mail.urls")),
    path("dotaz/<slug:vendor>/", webform.question, name="webform"),
    path("hodnoceni/<str:token>/", satisfaction.rate_by_link, name="rate"),
    path("specialiste/<slug:vendor>/", specialists.specialist_list, name="specialists"),
    path("forum/", forum.home, name="forum-home"),
    path("forum/<slug:vendor>/", forum.topic_list, name="forum"),
    path("forum/<slug:vendor>/new/", forum.topic_new, name="forum-new"),
    path("forum/<slug:vendor>/<int:pk>/", forum.topic_detail, name="forum-topic"),
    path("forum/<slug:vendor>/<int:pk>/moderate/", forum.moderate, name="forum-moderate"),
    path("forum/<slug:vendor>/<int:pk>/mute/", forum.mute, name="forum-mute"),
    path("kb/", kb.home, name="kb-home"),
    path("kb/<slug:vendor>/", kb.index, name="kb"),
    path("kb/<slug:vendor>/news/", kb.news_subscription, name="kb-news"),
    path("kb/<slug:vendor>/suggest/", kb.suggestions, name="kb-suggest"),
    path("kb/<slug:vendor>/helped/", kb.helped, name="kb-helped"),
    path("kb/<slug:vendor>/<str:language>/<slug:slug>/", kb.article, name="kb-article"),
    path("files/<str:number>/<int:attachment_id>/", core_views.attachment, name="attachment"),
    path(
        "files/<str:number>/<int:attachment_id>/preview/",
        core_views.attachment_preview,
        name="attachment_preview",
    ),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("sprava/", vendor_admin_site.urls),
]
handler404 = "podpora.core.errors.not_found"
handler500 = "podpora.core.errors.server_error"
