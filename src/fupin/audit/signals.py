"""Logins and logouts from any path (pages, admin, API session) land in the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from fupin.audit.services import audit_event


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_event(actor=user, action="auth.login")


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_event(actor=user, action="auth.logout")
