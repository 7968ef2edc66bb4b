"""HTML pages of the 12345 hotline (issue 15, points 1, 4 and 8).

Citizens (anyone, signed in or not): the submission form, the tracking page by number (the
public view: no personal information) and the callback survey reached through a signed
link. Thin views: they read through ``hotline.selectors``, act through
``hotline.services`` and show a refused step as a message beside the field it names.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shuzheng import clock
from shuzheng.accounts.authorization import require_perm
from shuzheng.hotline import deadlines, selectors, services
from shuzheng.hotline.choices import CLOSED_STATES, Channel
from shuzheng.hotline.forms import SubmitForm, TrackForm
from shuzheng.hotline.rendering import routing_reason


def _intake(form: SubmitForm, channel: str) -> services.Intake:
    data = form.cleaned_data
    return services.Intake(
        service_code=data["service_code"],
        description=data["description"],
        address_string=data["address_string"],
        lat=data["lat"] or None,
        long=data["long"] or None,
        attributes=form.attributes(),
        name=data["name"],
        phone=data["phone"],
        email=data["email"],
        channel=channel,
        files=data["media"],
    )


def _submitted(request, form: SubmitForm, channel: str):
    """The request taken in, or None with the service's refusal beside its field."""
    try:
        return services.submit_request(_intake(form, channel), actor=request.user)
    except services.IntakeError as error:
        form.add_error(form.field_for(error.field), str(error))
        return None


@require_perm("view_published")
def submit(request):
    """The public submission form (诉求登记): category, description, place, files, contact."""
    form = SubmitForm(
        request.POST or None, request.FILES or None, services=selectors.active_services()
    )
    if request.method == "POST" and form.is_valid():
        created = _submitted(request, form, Channel.WEB)
        if created is not None:
            messages.success(
                request,
                _("Your request was received. Its tracking number is %(number)s: keep it.")
                % {"number": created.number},
            )
            return redirect("hotline:track_detail", number=created.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "hotline/submit.html", {"form": form}, status=status)


@require_perm("view_published")
def track(request):
    """Find a request by its tracking number."""
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        number = form.cleaned_data["number"].strip()
        if selectors.requests_with_lead().filter(number=number).exists():
            return redirect("hotline:track_detail", number=number)
        form.add_error("number", _("No request has the number %(number)s.") % {"number": number})
    return render(request, "hotline/track.html", {"form": form})


@require_perm("view_published")
def track_detail(request, number: str):
    """A request's public view: what, where, its state, deadlines, light and the unit that
    handles it; never the caller's name, phone, email or address."""
    found = selectors.public_request(number)
    if found is None:
        raise Http404("no such request")
    return render(request, "hotline/track_detail.html", _public_context(found))


def _public_context(found) -> dict:
    return {
        "found": found,
        "unit": selectors.current_lead_unit(found),
        "reason": routing_reason(found.routing),
        "light": deadlines.light(
            clock.now(), found.resolution_due_at, closed=found.state in CLOSED_STATES
        ),
        "steps": selectors.public_steps(found),
    }
