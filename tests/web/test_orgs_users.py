"""People and roles of a county, managed by its county office (or an administrator)."""

from __future__ import annotations

import pytest
from conftest import PASSWORD, Cast
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from dudao.orgs import services
from dudao.orgs.choices import Role
from dudao.orgs.models import Membership

USERS = reverse("orgs:users")
NEW = reverse("orgs:user_create")


def _usernames(response: object) -> set[str]:
    return {m.user.username for m in response.context["page"]}  # type: ignore[attr-defined]


def test_the_county_office_lists_the_people_of_its_county(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    response = client.get(USERS)
    assert response.status_code == 200
    assert _usernames(response) == {
        "supervisor",
        "leader",
        "department_head",
        "other_department_head",
        "inspector",
        "clerk_a",
        "principal_a",
        "clerk_b",
    }


def test_the_people_list_can_be_searched(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    assert _usernames(client.get(USERS, {"q": "初中"})) == {"clerk_b"}


def test_an_administrator_chooses_the_county(client: Client, cast: Cast) -> None:
    client.force_login(cast.admin)
    response = client.get(USERS, {"county": cast.other_county.pk})
    assert _usernames(response) == {"other_supervisor", "other_inspector", "clerk_c"}


def test_the_people_list_needs_a_fixed_number_of_queries(
    client: Client, cast: Cast, django_assert_max_num_queries: object
) -> None:
    for n in range(30):
        user = User.objects.create(username=f"clerk{n}")
        Membership.objects.create(user=user, role=Role.SCHOOL_CLERK, institution=cast.school_a)
    client.force_login(cast.supervisor)
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        assert client.get(USERS).status_code == 200


def test_another_county_s_people_are_missing(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    assert client.get(USERS, {"county": cast.other_county.pk}).status_code == 404
    assert client.get(NEW, {"county": cast.other_county.pk}).status_code == 404


@pytest.mark.parametrize("who", ["leader", "clerk_a", "department_head", "city_reviewer", "nobody"])
def test_only_county_administrators_manage_people(client: Client, cast: Cast, who: str) -> None:
    client.force_login(getattr(cast, who))
    assert client.get(USERS).status_code == 403
    assert client.get(NEW).status_code == 403


@pytest.mark.parametrize("url", [USERS, NEW])
def test_anonymous_visitors_are_sent_to_log_in(client: Client, cast: Cast, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


def test_the_county_office_creates_a_school_clerk_and_sees_the_password_once(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.supervisor)
    assert client.get(NEW).status_code == 200
    data = {
        "username": "clerk_new",
        "full_name": "新填报员",
        "role": Role.SCHOOL_CLERK,
        "institution": cast.school_b.pk,
    }
    response = client.post(NEW, data)
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.text and "只显示这一次" in response.text
    assert response["Cache-Control"].startswith("max-age=0")
    person = User.objects.get(username="clerk_new")
    assert person.password != password and person.check_password(password)
    assert person.memberships.get().institution == cast.school_b
    assert Client().login(username="clerk_new", password=password)


def test_a_supervisor_is_created_for_the_county_itself(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    data = {"username": "deputy", "full_name": "副主任", "role": Role.SUPERVISOR}
    assert client.post(NEW, data).status_code == 200
    assert Membership.objects.get(user__username="deputy").region == cast.county


def test_an_inspector_account_is_created_for_the_county(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    data = {"username": "inspector_new", "full_name": "兼职督学", "role": Role.INSPECTOR}
    assert client.post(NEW, data).status_code == 200
    membership = Membership.objects.get(user__username="inspector_new")
    assert (membership.role, membership.region) == (Role.INSPECTOR, cast.county)


def test_a_school_of_another_county_cannot_be_chosen(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    data = {
        "username": "spy",
        "full_name": "外县",
        "role": Role.SCHOOL_CLERK,
        "institution": cast.school_c.pk,
    }
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert response.context["form"].errors["institution"]
    assert not User.objects.filter(username="spy").exists()


def test_the_administrator_role_is_not_offered(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    data = {"username": "boss", "full_name": "管理员二号", "role": Role.ADMIN}
    response = client.post(NEW, data)
    assert "role" in response.context["form"].errors
    data["role"] = Role.CITY_REVIEWER
    assert "role" in client.post(NEW, data).context["form"].errors
    assert not User.objects.filter(username="boss").exists()


def test_a_taken_user_name_is_refused(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    data = {"username": "CLERK_A", "full_name": "重名", "role": Role.LEADER}
    response = client.post(NEW, data)
    assert response.context["form"].errors["username"] == ["该用户名已被使用"]


def test_a_school_role_needs_a_school(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    data = {"username": "x", "full_name": "某人", "role": Role.PRINCIPAL}
    assert "institution" in client.post(NEW, data).context["form"].errors


def test_the_service_refuses_roles_and_scopes_outside_the_county(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        services.user_create(
            cast.supervisor, cast.county, username="a", full_name="甲", role=Role.ADMIN
        )
    with pytest.raises(ValidationError):
        services.user_create(
            cast.supervisor,
            cast.county,
            username="b",
            full_name="乙",
            role=Role.SCHOOL_CLERK,
            institution=cast.school_c,
        )
    with pytest.raises(PermissionDenied):
        services.user_create(
            cast.supervisor, cast.other_county, username="c", full_name="丙", role=Role.LEADER
        )
    assert not User.objects.filter(username__in=["a", "b", "c"]).exists()


def test_a_password_is_reset_and_shown_once(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    url = reverse("orgs:user_password", args=[cast.clerk_a.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200
    cast.clerk_a.refresh_from_db()
    assert cast.clerk_a.check_password(response.context["password"])
    assert not cast.clerk_a.check_password(PASSWORD)


def test_a_password_outside_the_county_cannot_be_reset(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    for person in (cast.clerk_c, cast.admin, cast.city_reviewer):
        assert client.post(reverse("orgs:user_password", args=[person.pk])).status_code == 404
    cast.clerk_c.refresh_from_db()
    assert cast.clerk_c.check_password(PASSWORD)


def test_a_leader_may_not_reset_passwords(client: Client, cast: Cast) -> None:
    client.force_login(cast.leader)
    assert client.post(reverse("orgs:user_password", args=[cast.clerk_a.pk])).status_code == 403


def test_a_person_with_a_role_in_another_county_is_left_to_the_administrator(
    client: Client, cast: Cast
) -> None:
    Membership.objects.create(user=cast.clerk_c, role=Role.LEADER, region=cast.county)
    client.force_login(cast.supervisor)
    assert client.post(reverse("orgs:user_password", args=[cast.clerk_c.pk])).status_code == 403
    client.force_login(cast.admin)
    assert client.post(reverse("orgs:user_password", args=[cast.clerk_c.pk])).status_code == 200


def test_a_role_is_removed(client: Client, cast: Cast) -> None:
    membership = cast.clerk_b.memberships.get()
    client.force_login(cast.supervisor)
    response = client.post(reverse("orgs:membership_delete", args=[membership.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{USERS}?county={cast.county.pk}"
    assert not cast.clerk_b.memberships.exists()


def test_a_role_in_another_county_is_missing(client: Client, cast: Cast) -> None:
    membership = cast.clerk_c.memberships.get()
    client.force_login(cast.supervisor)
    url = reverse("orgs:membership_delete", args=[membership.pk])
    assert client.post(url).status_code == 404
    assert cast.clerk_c.memberships.exists()


def test_a_leader_may_not_remove_roles(client: Client, cast: Cast) -> None:
    membership = cast.clerk_b.memberships.get()
    client.force_login(cast.leader)
    assert client.post(reverse("orgs:membership_delete", args=[membership.pk])).status_code == 403
    assert cast.clerk_b.memberships.exists()


def test_one_s_own_role_is_not_removed(client: Client, cast: Cast) -> None:
    membership = cast.supervisor.memberships.get()
    client.force_login(cast.supervisor)
    response = client.post(reverse("orgs:membership_delete", args=[membership.pk]), follow=True)
    assert "不能删除自己的角色" in response.text
    assert cast.supervisor.memberships.exists()


def test_role_actions_need_a_log_in(client: Client, cast: Cast) -> None:
    url = reverse("orgs:membership_delete", args=[cast.clerk_b.memberships.get().pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
