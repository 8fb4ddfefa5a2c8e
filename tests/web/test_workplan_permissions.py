"""Every view of the core key-task app: anonymous users are sent to log in; another county's
objects are 404 for writes too."""

from __future__ import annotations

import pytest
from conftest import Cast
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from test_workplan_import import CSV, client_for
from test_workplan_models import make_plan, make_report, make_round

from dudao.workplan.importing import import_upload
from dudao.workplan.models import ReportFile

GET = "get"
POST = "post"


def urls(cast: Cast) -> list[tuple[str, str]]:
    data = make_plan(cast)
    round_ = make_round(data.plan)
    report = make_report(round_, data.task, cast)
    file = ReportFile.objects.create(
        report=report, file="workplan/x.pdf", name="x.pdf", size=1, uploaded_by=cast.supervisor
    )
    imp = import_upload(cast.supervisor, cast.county, SimpleUploadedFile("a.csv", CSV.encode()))
    plan, task = data.plan.pk, data.task.pk
    return [
        (GET, reverse("workplan:home")),
        (GET, reverse("workplan:mine")),
        (GET, reverse("workplan:leading")),
        (GET, reverse("workplan:import")),
        (GET, reverse("workplan:sample")),
        (GET, reverse("workplan:import_preview", args=[imp.pk])),
        (POST, reverse("workplan:import_confirm", args=[imp.pk])),
        (POST, reverse("workplan:import_discard", args=[imp.pk])),
        (GET, reverse("workplan:plan", args=[plan])),
        (GET, reverse("workplan:plan_settings", args=[plan])),
        (POST, reverse("workplan:leader_update", args=[plan, data.leader.pk])),
        (POST, reverse("workplan:round_open", args=[plan])),
        (GET, reverse("workplan:round", args=[round_.pk])),
        (POST, reverse("workplan:round_close", args=[round_.pk])),
        (GET, reverse("workplan:report", args=[round_.pk, task])),
        (GET, reverse("workplan:report_file", args=[file.pk])),
        (GET, reverse("workplan:task", args=[task])),
        (GET, reverse("workplan:task_edit", args=[task])),
        (POST, reverse("workplan:note_add", args=[task])),
        (POST, reverse("workplan:comment_add", args=[task])),
    ]


def test_anonymous_users_are_sent_to_log_in_everywhere(cast: Cast) -> None:
    client = Client()
    for method, url in urls(cast):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url


@pytest.mark.parametrize("name", ["other_supervisor", "clerk_a", "inspector"])
def test_county_objects_are_404_outside_the_county(cast: Cast, name: str) -> None:
    client = client_for(getattr(cast, name))
    county_free = {
        reverse("workplan:home"),
        reverse("workplan:mine"),
        reverse("workplan:leading"),
        reverse("workplan:import"),
        reverse("workplan:sample"),
    }
    for method, url in urls(cast):
        if url in county_free:
            continue
        response = getattr(client, method)(url)
        assert response.status_code == 404, url
