"""Second factor for staff (django-otp): who must give one, the admin login that asks for it, setting one up.

Superusers and Editors (Contributors too with OTP_REQUIRED_FOR_CONTRIBUTORS) may use the admin only in a
session verified by one of their devices: an authenticator app (django-otp's TOTP device) or a backup code
(its static device); so may anyone else who has set one up. The admin's login form takes the code beside
the password, and a wrong, used or throttled code is a failed login that django-axes counts as it counts a
wrong password. Staff who must have a second factor and have none are sent to set one up before any other
admin page. README: Second factor.
"""

import base64
import time
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LogoutView, redirect_to_login
from django.core import signing
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from .roles import CONTRIBUTOR, EDITOR

BACKUP_CODES = 10
SET_UP_MINUTES = 15  # How long a set-up page's key may be confirmed: a page left open gets a new key.


def second_factor_required(user):
    """Superusers and Editors must log in with a second factor; Contributors when the setting says so."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    roles = (EDITOR, CONTRIBUTOR) if settings.OTP_REQUIRED_FOR_CONTRIBUTORS else (EDITOR,)
    return user.groups.filter(name__in=roles).exists()


def second_factor_satisfied(user):
    """Whether this session may act as staff: verified by a device, or the user needs none and has set none up.

    `user` is a request's (OTPMiddleware gives it is_verified()).
    """
    if user.is_verified():
        return True
    # Asked several times a page (has_permission, the sidebar, previews); only verifying changes the answer.
    if not hasattr(user, "second_factor_optional"):
        user.second_factor_optional = not (second_factor_required(user) or user_has_device(user))
    return user.second_factor_optional


def must_set_up(user):
    """Logged in, needs a second factor, has none: the set-up page comes before anything else."""
    return user.is_authenticated and second_factor_required(user) and not user_has_device(user)


def verify_code(user, code):
    """The user's device that accepts the code (and will not accept it again), or None.

    Six digits are an authenticator app's code; backup codes have letters and eight characters. Each is
    tried on its own kind of device only, so that a wrong guess throttles that kind alone.
    """
    code = "".join(code.split()).lower()
    if not code:
        return None  # Tried on no device: an empty field must not throttle the backup codes.
    kind = TOTPDevice if code.isascii() and code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():  # devices_for_user(for_verify=True) locks the rows: one code, one login.
        for device in devices_for_user(user, for_verify=True):
            if isinstance(device, kind) and device.verify_token(code):
                return device
    return None


def new_backup_codes(user):
    """A fresh set of backup codes for the user, replacing any left; returns them (stored as they are)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Backup codes"})
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    device.token_set.all().delete()
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


class LoginForm(AdminAuthenticationForm):
    """The admin's login, with the code from the second factor for anyone who has set one up."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        # One message for a wrong password and a wrong code: the answer never confirms a guessed password.
        "invalid_login": (
            "Please enter the correct %(username)s and password for a staff account, and a current code if "
            "you have set up a second factor. Note that both fields may be case-sensitive."
        ),
    }

    otp_token = forms.CharField(
        label="Code", required=False, max_length=16,
        help_text="Six digits from your authenticator app, or one of your backup codes. "
                  "Leave it empty if you have not set up a second factor yet.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean(self):
        cleaned_data = super().clean()  # The password: authenticate() tells axes of a wrong one.
        user = self.get_user()
        if user is not None and user_has_device(user):
            device = verify_code(user, cleaned_data.get("otp_token", ""))
            if device is None:
                # A failed login, announced as authenticate() announces one, so that axes counts it and locks
                # the username and address out at the limit like wrong passwords.
                user_login_failed.send(
                    sender=__name__, credentials={"username": cleaned_data.get("username")}, request=self.request
                )
                raise self.get_invalid_login_error()
            user.otp_device = device  # auth's login() then marks the session verified (django_otp.login).
        return cleaned_data


class SetUpForm(forms.Form):
    """A new authenticator app, confirmed by one of its codes.

    The new key travels in the page, signed for this user and for SET_UP_MINUTES, so that showing the page
    writes nothing; the device is saved only once a code proves the app holds the key.
    """

    key = forms.CharField(widget=forms.HiddenInput)
    otp_token = forms.RegexField(
        label="Code from the app", regex=r"^\d{6}$", max_length=6,
        error_messages={"invalid": "Enter the six digits the app shows now."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.salt = f"{__name__}.set-up.{user.pk}"
        self.device = None  # The TOTP device the page shows, unsaved; None when a posted key has expired.
        if not self.is_bound:
            self.device = TOTPDevice(user=user, name="Authenticator app", key=default_key(), confirmed=True)
            self.initial["key"] = signing.dumps(self.device.key, salt=self.salt)

    def clean_key(self):
        try:
            key = signing.loads(self.cleaned_data["key"], salt=self.salt, max_age=SET_UP_MINUTES * 60)
        except signing.BadSignature as error:  # Expired, or not ours.
            raise forms.ValidationError("This page had expired: scan the new code.", code="expired") from error
        self.device = TOTPDevice(user=self.user, name="Authenticator app", key=key, confirmed=True)
        return key

    def clean(self):
        cleaned_data = super().clean()
        if self.device is not None and "otp_token" in cleaned_data:
            # The device's own check (TOTPDevice.verify_token) would save a throttled, unconfirmed device on a
            # wrong code: check the unsaved one's code with the same parameters, then keep its time step.
            totp = TOTP(self.device.bin_key, self.device.step, self.device.t0, self.device.digits, self.device.drift)
            totp.time = time.time()
            if not totp.verify(int(cleaned_data["otp_token"]), tolerance=self.device.tolerance):
                raise forms.ValidationError(
                    "That is not the app's current code: check that the phone's clock is right, and try the next.",
                    code="wrong_code",
                )
            self.device.last_t, self.device.drift = totp.t(), totp.drift  # This code cannot log in again.
        return cleaned_data

    def save(self):
        """Save the app's device and a first set of backup codes; returns (device, codes), or (None, None)
        when the user got a device meanwhile (two set-up pages confirmed at once)."""
        with transaction.atomic():
            get_user_model().objects.select_for_update().filter(pk=self.user.pk).first()
            if user_has_device(self.user):
                return None, None
            self.device.save()
            return self.device, new_backup_codes(self.user)


def typed_key(device):
    """The key as an authenticator app asks for it when typed: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def qr_code(device):
    """An inline SVG QR code of the device's otpauth:// address: no image URL (the key would be in it) and no
    inline style (the Content-Security-Policy forbids them)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", title="QR code for your authenticator app"
    )
    return mark_safe(svg)  # segno's markup of our own address.


class AdminSite(admin.AdminSite):
    """The default admin site (apps.AdminConfig): only for sessions with the second factor their user needs."""

    login_form = LoginForm

    def has_permission(self, request):
        return super().has_permission(request) and second_factor_satisfied(request.user)

    def login(self, request, extra_context=None):
        if request.method == "GET" and must_set_up(request.user):
            query = urlencode({REDIRECT_FIELD_NAME: self.next_url(request)})
            return HttpResponseRedirect(f"{reverse('admin:second_factor_set_up', current_app=self.name)}?{query}")
        return super().login(request, extra_context)

    def get_urls(self):
        return [
            path("second-factor/", self.admin_view(self.second_factor), name="second_factor"),
            # Not admin views: they serve the sessions has_permission() turns away (admin:logout sends those
            # back to the index, which sends them here).
            path("second-factor/set-up/", self.set_up, name="second_factor_set_up"),
            path("second-factor/log-out/", LogoutView.as_view(next_page="admin:login"), name="second_factor_log_out"),
            *super().get_urls(),
        ]

    def next_url(self, request):
        """Where to go afterwards: the `next` the request carries if it is ours, else the admin's index."""
        url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
        if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            return url
        return reverse("admin:index", current_app=self.name)

    def second_factor_page(self, request, template, **context):
        request.current_app = self.name
        return TemplateResponse(request, f"admin/second_factor/{template}", {**self.each_context(request), **context})

    @method_decorator(never_cache)  # The page carries a secret key.
    def set_up(self, request):
        """Set up an authenticator app: scan the code or type the key, confirm with a code, get backup codes."""
        user = request.user
        if not (user.is_active and user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login", current_app=self.name))
        if user_has_device(user):  # Set up already: has_permission() asks this session for a code, if need be.
            return HttpResponseRedirect(self.next_url(request))
        form = SetUpForm(user, request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            device, codes = form.save()
            if device is None:
                return HttpResponseRedirect(self.next_url(request))
            otp_login(request, device)  # This session gave the code: it is verified.
            return self.second_factor_page(
                request, "backup_codes.html", title="Your backup codes", codes=codes, next=self.next_url(request),
                first=True,
            )
        expired = form.device is None
        if expired:
            form = SetUpForm(user)
        return self.second_factor_page(
            request, "set_up.html", title="Set up a second factor", form=form, expired=expired,
            required=second_factor_required(user), qr_code=qr_code(form.device), key=typed_key(form.device),
            next=self.next_url(request),
        )

    def second_factor(self, request):
        """The user's second factor: what is set up, how many backup codes are left; POST makes new codes."""
        user = request.user
        if request.method == "POST" and user.is_verified():
            return self.second_factor_page(
                request, "backup_codes.html", title="Your new backup codes", codes=new_backup_codes(user),
                next=reverse("admin:second_factor", current_app=self.name), first=False,
            )
        devices = list(devices_for_user(user))
        apps = [device for device in devices if isinstance(device, TOTPDevice)]
        backup = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
        return self.second_factor_page(
            request, "overview.html", title="Second factor", apps=apps, backup_codes_left=backup,
            has_device=bool(devices),
        )
