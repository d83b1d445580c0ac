"""Sign in, sign out, sign up, password reset by email and password change (session auth)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from tessera.accounts.services import user_password_change, user_register
from tessera.core.errors import DomainError

from ..feedback import report
from ..forms import PasswordChangeForm, SignUpForm
from ..problems import problem_sentence


def _rate(name: str) -> Any:
    """A rate read at request time, so the settings (and tests' overrides) decide."""
    return lambda group, request: settings.WEB_RATE_LIMITS[name]


def limit(name: str) -> Any:
    """Refuse POSTs of one client address beyond `WEB_RATE_LIMITS[name]` (429, see below)."""
    return ratelimit(key="ip", rate=_rate(name), method="POST", block=True, group=f"web.{name}")


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """RATELIMIT_VIEW: the page a client sees when a limit refused its POST."""
    return render(
        request,
        "web/rate_limited.html",
        {"sentence": problem_sentence("throttled", 429)},
        status=429,
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(reverse_lazy(settings.LOGIN_REDIRECT_URL))


@method_decorator(limit("sign_in"), name="post")
class SignInView(auth_views.LoginView):
    template_name = "web/account/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView): a link cannot sign anyone out."""


@require_http_methods(["GET", "POST"])
@limit("sign_up")
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignUpForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user = user_register(
                    username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                )
            except DomainError as exc:
                status = report(request, exc, form, fields={"password": "password1"})
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome to Tessera, %(name)s.") % {"name": user})
                return redirect(_next_url(request))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "web/account/sign_up.html", context, status=status)


@method_decorator(limit("password_reset"), name="post")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "web/account/password_reset_form.html"
    email_template_name = "web/account/password_reset_email.txt"
    subject_template_name = "web/account/password_reset_subject.txt"
    success_url = reverse_lazy("web:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "web/account/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "web/account/password_reset_confirm.html"
    success_url = reverse_lazy("web:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "web/account/password_reset_complete.html"


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user_password_change(
                    user=request.user,  # type: ignore[arg-type]
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password1"],
                )
            except DomainError as exc:
                status = report(request, exc, form, fields={"new_password": "new_password1"})
            else:
                update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
                messages.success(request, _("Your password was changed."))
                return redirect("web:password-change")
    return render(request, "web/account/password_change.html", {"form": form}, status=status)
