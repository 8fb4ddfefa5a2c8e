"""Scoped selectors: who sees which county, institution and department."""

from __future__ import annotations

import pytest
from conftest import Cast
from django.http import Http404

from dudao.orgs import selectors


def test_school_clerks_see_only_their_own_institution(cast: Cast) -> None:
    assert list(selectors.institutions_for(cast.clerk_a)) == [cast.school_a]
    with pytest.raises(Http404):
        selectors.institution_for(cast.clerk_a, cast.school_b.pk)


def test_the_county_office_sees_its_county_and_not_the_other(cast: Cast) -> None:
    seen = set(selectors.institutions_for(cast.supervisor))
    assert seen == {cast.school_a, cast.school_b}
    with pytest.raises(Http404):
        selectors.county_for(cast.supervisor, cast.other_county.pk)


def test_city_reviewers_see_every_county_of_their_city(cast: Cast) -> None:
    assert set(selectors.counties_for(cast.city_reviewer)) == {cast.county, cast.other_county}
    assert selectors.can_review_county(cast.city_reviewer, cast.county)
    assert not selectors.can_manage_county(cast.city_reviewer, cast.county)


def test_leaders_read_but_do_not_manage(cast: Cast) -> None:
    assert selectors.county_for(cast.leader, cast.county.pk) == cast.county
    assert not selectors.can_review_county(cast.leader, cast.county)


def test_people_without_a_role_see_nothing(cast: Cast) -> None:
    assert not selectors.institutions_for(cast.nobody).exists()
    assert not selectors.counties_for(cast.nobody).exists()


def test_only_a_school_s_own_people_fill_its_figures(cast: Cast) -> None:
    assert selectors.can_fill(cast.clerk_a, cast.school_a)
    assert selectors.can_fill(cast.principal_a, cast.school_a)
    assert not selectors.can_fill(cast.clerk_b, cast.school_a)
    assert not selectors.can_fill(cast.supervisor, cast.school_a)
