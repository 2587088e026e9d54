"""Sequences of submissions (Hypothesis): an answer given today changes nothing staff can see, and
once its quarter is released, the groups it falls in show only as the audit allows.

Each example builds a municipality with random answers in closed quarters, takes every release HR
can read (the respondents by unit and every background answer, the follow-up), then submits
a random sequence of answers through the respondent's own service (draft, save, submit, with the
tallies kept at submit time). Nothing released changes. Then the running quarter is released as
the results pages will release it when it has ended, and the exact audit holds for it.
"""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings, strategies as st

from survey_app.models import Organisation, Unit
from survey_app.models._time import today
from survey_app.periods import quarter_label
from survey_app.privacy.periods import blocks_ending, released_blocks
from survey_app.services import dashboard, released
from survey_app.services.responding import save_answers, start_open, submit
from tests.reports.conftest import add_exits

MINIMUM = 5
answer = st.fixed_dictionaries({
    "main_reason": st.sampled_from(["lonn", "arbeidstid", "leiing", "belastning"]),
    "tenure": st.sampled_from(["under_1", "y1_2", "y3_5", "y6_10"]),
    "age_band": st.sampled_from(["under_25", "a25_34", "a45_54"]),
    "position_now": st.sampled_from([40, 60, 80, 100]),
    "wanted_larger": st.sampled_from(["yes", "no"]),
    "destination": st.sampled_from(["private", "state", "other_municipality"]),
    "recommend": st.integers(0, 10),
})
history = st.lists(st.tuples(st.integers(1, 8), st.integers(0, 2), st.sampled_from(["lonn", "leiing", "arbeidstid"]),
                             st.integers(1, 7)), max_size=8)


def releases(session, organisation, exit_questionnaire, units, blocks) -> dict:
    found = {"units": released.respondent_release(session, organisation, exit_questionnaire, units, None, blocks,
                                                  MINIMUM)}
    found["follow_up"] = released.follow_up_family(session, organisation, units, MINIMUM, blocks)
    return found


def seen(found: dict) -> dict:
    """What a reader gets of each release: the shown groups and their sizes."""
    return {name: {key: made.sizes[key] for key in made.shown} for name, made in found.items()}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(past=history, submissions=st.lists(st.tuples(answer, st.integers(0, 2)), min_size=1, max_size=7))
def test_an_answer_today_changes_nothing_until_its_quarter_is_released(app, session, past, submissions):
    registry = app.extensions["questionnaires"]
    exit_questionnaire = registry.get("sluttsamtale")
    organisation = Organisation(slug="sekvens", name="Sekvens kommune", written_standard="nn",
                                min_group_size=MINIMUM)
    sector = Unit(code="S", name="Sektor", organisation=organisation)
    session.add_all([organisation, sector])
    session.flush()
    members = [Unit(code=f"U{i}", name=f"Eining {i}", organisation=organisation, parent=sector) for i in range(3)]
    session.add_all(members)
    session.flush()
    try:
        for back, unit, reason, count in past:
            day = today() - timedelta(days=91 * back)
            add_exits(session, app, organisation, members[unit],
                      [((reason, "y1_2", 100, "no", "private"), count)], day)
        session.commit()
        units = dashboard.units_of(session, organisation)
        blocks = released_blocks(today())
        before = seen(releases(session, organisation, exit_questionnaire, units, blocks))

        for answers, unit in submissions:
            started = start_open(session, organisation, exit_questionnaire, "nn")
            started.draft.unit_id = members[unit].id
            save_answers(session, started.draft, answers, list(answers), 1)
            assert submit(session, started.draft.id, exit_questionnaire)

        after = seen(releases(session, organisation, exit_questionnaire, units, blocks))
        assert after == before

        # When the running quarter has ended, it is released with the rest, and audited with it.
        later = blocks_ending(quarter_label(today()))
        next_time = releases(session, organisation, exit_questionnaire, units, later)
        assert next_time["units"].sizes[("org", quarter_label(today()))] == len(submissions)  # they were counted
        for name, made in next_time.items():
            assert made.audit() == [], name
            assert all(made.sizes[key] == 0 or made.sizes[key] >= MINIMUM for key in made.shown), name
            # The new answers fall in the running quarter; its groups show only at the minimum or more.
            running = ("org", quarter_label(today())) if name != "follow_up" else None
            if running and running in made.shown:
                assert made.sizes[running] >= MINIMUM
    finally:
        session.delete(organisation)
        session.commit()


def test_the_dates_used_are_the_running_quarter():
    assert quarter_label(today()) not in {q for b in released_blocks(today()) for q in b.quarters}
    assert date.today() - today() <= timedelta(days=1)
