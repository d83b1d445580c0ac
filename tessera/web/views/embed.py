"""Embedding: an owner's booking page inside their own website (an iframe, or a script tag
that inserts one), framed only by the sites the owner allowed (`frame-ancestors`), and the
page where the owner gets the snippet and lists those sites."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods

from tessera.core.errors import DomainError
from tessera.scheduling.selectors.resources import resource_get, resource_list

from ..feedback import error_text, report
from ..forms_guest import EmbedOriginsForm
from ..services.embed import embed_origins_of, embed_origins_set, frame_ancestors
from .times import _picker_context


@require_GET
@xframe_options_exempt
def embed_resource(request: HttpRequest, resource_id: int) -> HttpResponse:
    """The booking page of one resource, in a frame: its free times as links that open the
    booking (with or without an account) on this site, in a new tab.

    The answer carries no X-Frame-Options; `Content-Security-Policy: frame-ancestors` names
    this site and the owner's allowed sites, so every other site is refused by the browser.
    """
    try:
        resource = resource_get(resource_id=resource_id, actor=request.user)
    except DomainError as exc:
        response = render(
            request, "web/embed/refused.html", {"sentence": error_text(exc)}, status=exc.status
        )
        response["Content-Security-Policy"] = "frame-ancestors *"
        return response
    context = {"resource": resource, **_picker_context(request, [resource])}
    response = render(request, "web/embed/resource.html", context)
    response["Content-Security-Policy"] = frame_ancestors(
        embed_origins_of(owner_id=resource.owner_id)
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def embed_settings(request: HttpRequest) -> HttpResponse:
    """The owner's snippets (one per resource they own) and the sites allowed to show them."""
    owner: Any = request.user  # signed in (login_required)
    origins = embed_origins_of(owner_id=owner.pk)
    form = EmbedOriginsForm(
        request.POST if request.method == "POST" else None,
        initial={"allowed_origins": "\n".join(origins)},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                embed_origins_set(owner=owner, actor=owner, origins=form.origins())
            except DomainError as exc:
                status = report(request, exc, form)
            else:
                messages.success(request, _("Saved. Only these sites can show your booking page."))
                return redirect("web:embed-settings")
    mine = resource_list(actor=owner).filter(owner=owner, is_active=True)
    context = {
        "form": form,
        "origins": origins,
        "resources": list(mine.order_by("name")),
        "site": request.build_absolute_uri("/").rstrip("/"),
    }
    return render(request, "web/embed/settings.html", context, status=status)
