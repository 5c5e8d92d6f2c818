"""The reader's language and time zone: a page of its own, whose form another settings page
may include ({% display_settings_form %} from annotations.templatetags.times)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from annotations.request_user import acting_user
from annotations.services.preferences import display_settings_save
from annotations.time_zones import (
    browser_time_zone,
    chosen_preferences,
    grouped_time_zones,
    zone_abbreviation,
)


class DisplaySettingsForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        help_text=gettext_lazy("The language of the desk's pages."),
    )
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        required=False,
        help_text=gettext_lazy("Every time on the desk's pages is shown in it, with its name."),
    )

    def __init__(self, *args: Any, browser_zone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        languages = self.fields["language"]
        assert isinstance(languages, forms.ChoiceField)
        languages.choices = [("", _("Follow my browser")), *settings.LANGUAGES]
        zones = self.fields["time_zone"]
        assert isinstance(zones, forms.ChoiceField)
        if browser_zone:
            follow = _("Follow my browser (now %(zone)s)") % {"zone": browser_zone}
        else:
            follow = _("Follow my browser")
        zones.choices = [("", follow), *grouped_time_zones()]
        invalid = self.is_bound and not self.is_valid()
        for name, field in self.fields.items():
            described = f"id_{name}_helptext"
            if invalid and name in self.errors:
                field.widget.attrs["aria-invalid"] = "true"
                described += f" id_{name}_error"
            field.widget.attrs["aria-describedby"] = described


def display_settings_form_for(request: HttpRequest, data: Any = None) -> DisplaySettingsForm:
    """The form as `request`'s reader sees it: their choices selected, their browser's zone
    named."""
    zone, language = chosen_preferences(acting_user(request).pk)
    return DisplaySettingsForm(
        data,
        initial={"time_zone": zone, "language": language},
        browser_zone=browser_time_zone(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def display_settings(request: HttpRequest) -> HttpResponse:
    """Choose the language and the time zone of the desk's pages; back to `next` (a page of
    this site) once saved, or the same form with the reason as a 400."""
    if request.method == "GET":
        form = display_settings_form_for(request)
        return render(request, "annotations/display_settings.html", {"form": form})
    form = display_settings_form_for(request, request.POST)
    if form.is_valid():
        try:
            saved = display_settings_save(
                user=acting_user(request),
                time_zone=form.cleaned_data["time_zone"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # The confirmation is in the language just chosen.
            translation.activate(saved.language or translation.get_language())
            if saved.time_zone:
                text = _("Saved: times are shown in %(zone)s (%(abbreviation)s).") % {
                    "zone": saved.time_zone,
                    "abbreviation": zone_abbreviation(saved.time_zone),
                }
            else:
                text = _("Saved: times follow your browser's time zone.")
            messages.success(request, text)
            return HttpResponseRedirect(_next_page(request))
    return render(request, "annotations/display_settings.html", {"form": form}, status=400)


def _next_page(request: HttpRequest) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("display-settings")
