from functools import wraps

from django.contrib.auth.decorators import login_required

from fupin.accounts.access import require


def requires(action: str):
    """Sign-in, then at least one role granting `action` somewhere; otherwise a 403 (audited)."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, action)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorate
