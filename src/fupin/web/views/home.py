from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from fupin.accounts.access import scope
from fupin.areas.models import Area, AreaLevel
from fupin.areas.selectors import counties_served
from fupin.tasks.selectors import tasks_visible


@login_required
def home(request):
    counts = dict(
        scope(Area.objects.current(), request.user, "area.view", code_path="code")
        .values_list("level").annotate(n=Count("id")).values_list("level", "n")
    )
    levels = [{"label": label, "count": counts.get(level, 0)} for level, label in AreaLevel.choices if level >= 3]
    assignments = request.user.assignments.select_related("area").order_by("role")
    return render(request, "web/home.html", {
        "counties": counties_served(settings.FUPIN_COUNTIES), "levels": levels, "assignments": assignments, "tasks": tasks_visible(actor=request.user)[:5],
    })
