from fupin.accounts.access import can


class ActiveAreaMiddleware:
    """Carry the area chosen in the switcher onto the user, where `scope()` reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            code = request.session.get("active_area")
            if code and can(user, "area.view", code):
                user.active_prefix = _significant(code)
        return self.get_response(request)


def _significant(code: str) -> str:
    from fupin.areas.models import Area

    area = Area.objects.current().filter(code=code).only("prefix").first()
    return area.prefix if area else code
