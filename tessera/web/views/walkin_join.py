"""`/walk-in/<resource>/`: the join-the-queue page a QR code at the door leads to. Anyone sees
how many wait and the estimated wait; a signed-in person joins (or leaves) and sees their place
and wait; a visitor is asked to sign in first (the queue tells people by their account)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tessera.core.clock import utcnow
from tessera.core.errors import DomainError
from tessera.scheduling.models import Resource
from tessera.scheduling.selectors.resources import resource_get
from tessera.walkins.errors import NotWaiting
from tessera.walkins.models import WalkIn, WalkInStatus
from tessera.walkins.selectors import walkin_wait_estimate
from tessera.walkins.services import walkin_join, walkin_leave

from ..feedback import report


def _mine(request: HttpRequest, resource: Resource) -> WalkIn | None:
    if not request.user.is_authenticated:
        return None
    return WalkIn.objects.filter(
        resource=resource, user=request.user, status=WalkInStatus.WAITING
    ).first()


def _render(request: HttpRequest, resource: Resource, status: int = 200) -> HttpResponse:
    now = utcnow()
    mine = _mine(request, resource)
    position = mine.position if mine is not None else None
    context = {
        "resource": resource,
        "mine": mine,
        "estimate": walkin_wait_estimate(resource=resource, position=position, now=now),
    }
    return render(request, "web/walkins/join.html", context, status=status)


def _resource(request: HttpRequest, resource_id: int) -> Resource | HttpResponse:
    try:
        return resource_get(resource_id=resource_id, actor=request.user)
    except DomainError as exc:
        return render(request, "web/problem.html", {"status": report(request, exc)}, status=404)


@require_GET
def join_page(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = _resource(request, resource_id)
    if isinstance(resource, HttpResponse):
        return resource
    return _render(request, resource)


@login_required
@require_POST
def join(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = _resource(request, resource_id)
    if isinstance(resource, HttpResponse):
        return resource
    try:
        walkin_join(resource=resource, actor=request.user)
    except DomainError as exc:
        return _render(request, resource, status=report(request, exc))
    messages.success(request, _("You are in the line. We will tell you when it is your turn."))
    return redirect("web:walkin-join", resource_id=resource.pk)


@login_required
@require_POST
def leave(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = _resource(request, resource_id)
    if isinstance(resource, HttpResponse):
        return resource
    mine = _mine(request, resource)
    try:
        if mine is None:
            raise NotWaiting()
        walkin_leave(walkin=mine, actor=request.user)
    except DomainError as exc:
        return _render(request, resource, status=report(request, exc))
    messages.success(request, _("You left the line."))
    return redirect("web:walkin-join", resource_id=resource.pk)
