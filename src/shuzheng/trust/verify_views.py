"""The public verification page (issue 10, item 4: 验章验签) and the CA's public downloads.

``/trust/verify/``: anyone, signed in or not, uploads a file or enters a number (POST with
CSRF), or arrives from a licence's QR code (GET with ``licence`` and ``digest``); the answer
is the outcome of ``trust.verification`` with each signature's validation report. Both are
limited per client address (:func:`throttled`). ``/trust/root.json`` and
``/trust/crl.json``: the platform root and the latest revocation list, public and cacheable.
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from shuzheng.trust import certificates, services
from shuzheng.trust.verification import MAX_FILE_BYTES, Submission, verify_submission
from shuzheng.trust.verify_inputs import outcome_data, throttled

#: How long a downloaded root or revocation list may be cached (seconds).
PUBLIC_MAX_AGE = 300


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File to verify"),
        required=False,
        help_text=gettext_lazy(
            "A sealed PDF or licence PDF, or a signed JSON file of this platform (up to 10 MB)."
        ),
    )
    number = forms.CharField(
        label=gettext_lazy("Or a licence number or signature number"),
        required=False,
        max_length=64,
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("file") and not (data.get("number") or "").strip():
            raise forms.ValidationError(_("Upload a file or enter a number."))
        return data

    def submission(self) -> Submission:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return Submission(data=upload.read(MAX_FILE_BYTES + 1))
        return Submission(number=self.cleaned_data["number"].strip())


@require_http_methods(["GET", "POST"])
def verify(request):
    qr_number = request.GET.get("licence", "")
    form = VerifyForm(request.POST or None, request.FILES or None)
    outcome = None
    refusal = ""
    status = 200
    if request.method == "POST" or qr_number:
        if throttled(request):
            form = VerifyForm()
            refusal = _("Too many verifications from your address: wait a minute.")
            status = 429
        elif request.method == "POST":
            if form.is_valid():
                outcome = verify_submission(form.submission())
            else:
                status = 400
        else:
            submission = Submission(
                number=qr_number[:64], digest=request.GET.get("digest", "")[:64]
            )
            outcome = verify_submission(submission)
            form = VerifyForm(initial={"number": submission.number})
    return render(
        request,
        "trust/verify.html",
        {
            "form": form,
            "refusal": refusal,
            "outcome": None if outcome is None else outcome_data(outcome),
        },
        status=status,
    )


def _public_json(document: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        certificates.serialise(document),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


@require_GET
def root_json(request):
    """The platform root certificate, to trust (public)."""
    return _public_json(services.root_certificate(), "shuzheng-root.json")


@require_GET
def crl_json(request):
    """The latest signed revocation list (public)."""
    return _public_json(services.revocation_list(), "shuzheng-crl.json")
