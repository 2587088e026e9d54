"""The summary's "most important findings", written from the figures by rules.

Each rule looks at shown figures only (a hidden cell is never an input, so a finding can not leak
what a table hides), proposes at most one finding with a weight for how much it matters, and
phrases it with the numbers and the comparison that make it checkable. The three heaviest win.
Weights are simple and documented here so the committee can ask why a finding was chosen:
a change is weighed by its size in percentage points, a level by how far it is from normal, and
anything about a part of the answers by how large that part is. Every share is written with its
base ("12 of 43"); a change between two shares is a finding only when the two-proportion test
says chance is an unlikely explanation (``analysis.stats``), and a figure resting on fewer than
``UNCERTAIN_BELOW`` answers says that it is uncertain.
"""
from __future__ import annotations

from flask_babel import gettext as _

from analysis.stats import UNCERTAIN_BELOW, two_proportions, uncertain
from survey_app.period_names import quarter_name
from survey_app.privacy import share
from survey_app.reports.context import EXIT, ReportContext
from survey_app.reports.layout import grouped, pct, pct1  # noqa: F401  (grouped: also the assessment's)
from survey_app.reports.sections import early, heiltid, themes
from survey_app.services.dashboard import TOTAL

FINDINGS = 3
MIN_CHANGE_POINTS = 5      # smaller changes in a share are noise at these group sizes
MIN_COUNT_CHANGE = 0.15    # leavers up or down by at least 15 %
LOW_RESPONSE_RATE = 50.0


def choose(ctx: ReportContext) -> list[dict]:
    """The heaviest findings, each computed from the context (never from another section's output)."""
    proposals = [f for f in (rule(ctx) for rule in RULES) if f]
    proposals.sort(key=lambda f: (-f["weight"], f["kind"]))
    return proposals[:FINDINGS]


def _uncertain(n: int | None) -> str:
    if not uncertain(n):
        return ""
    return " " + _("This rests on fewer than %(n)s answers and is uncertain.", n=UNCERTAIN_BELOW)


def top_cause(ctx: ReportContext):
    main = ctx.main_reason
    if main is None:
        return None
    now, last_year = ctx.period, ctx.last_year
    shares = {key: share(main.cells.get((key, now)), main.totals.get(now)) for key, _label in main.row_labels}
    shares = {k: v for k, v in shares.items() if v is not None and k != "anna"}
    if not shares:
        return None
    key = max(shares, key=shares.get)
    label = dict(main.row_labels)[key]
    count, total = main.cells[(key, now)], main.totals[now]
    earlier = main.cells.get((key, last_year)), main.totals.get(last_year)
    before = share(*earlier) if earlier[0] is not None and earlier[1] else None
    if before is None:
        text = _("The most common main reason for leaving was “%(cause)s”: %(count)s of %(total)s answers "
                 "(%(share)s).", **grouped(cause=label, count=count, total=total, share=pct(shares[key])))
    else:
        change = two_proportions((earlier[0], earlier[1]), (count, total))
        # "Up from" only where chance is an unlikely explanation, as the method section promises.
        phrase = (_("The most common main reason for leaving was “%(cause)s”: %(count)s of %(total)s answers "
                    "(%(share)s), up from %(before_count)s of %(before_total)s (%(before_share)s) in %(quarter)s.")
                  if change.significant and shares[key] > before else
                  _("The most common main reason for leaving was “%(cause)s”: %(count)s of %(total)s answers "
                    "(%(share)s), down from %(before_count)s of %(before_total)s (%(before_share)s) in %(quarter)s.")
                  if change.significant else
                  _("The most common main reason for leaving was “%(cause)s”: %(count)s of %(total)s answers "
                    "(%(share)s), the same share as %(before_count)s of %(before_total)s in %(quarter)s.")
                  if round(shares[key]) == round(before) else
                  _("The most common main reason for leaving was “%(cause)s”: %(count)s of %(total)s answers "
                    "(%(share)s), against %(before_count)s of %(before_total)s (%(before_share)s) in %(quarter)s, "
                    "a difference that could be chance."))
        text = phrase % grouped(cause=label, count=count, total=total, share=pct(shares[key]),
                                before_count=earlier[0], before_total=earlier[1], before_share=pct(before),
                                quarter=quarter_name(last_year))
    text += _uncertain(total)
    return {"kind": "top_cause", "weight": 40 + shares[key] / 2, "text": text, "cause": key}


def cause_change(ctx: ReportContext):
    """The main reason whose share changed most since a year ago, if the change is more than chance."""
    main = ctx.main_reason
    if main is None:
        return None
    now, before = ctx.period, ctx.last_year
    n_now, n_before = main.totals.get(now), main.totals.get(before)
    if not n_now or not n_before:
        return None
    best = None
    for key, label in main.row_labels:
        a, b = main.cells.get((key, now)), main.cells.get((key, before))
        if a is None or b is None or key == "anna":
            continue
        change = two_proportions((b, n_before), (a, n_now))
        if change.significant and (best is None or abs(change.difference) > abs(best[2].difference)):
            best = (key, label, change)
    if best is None:
        return None
    key, label, change = best
    phrase = (_("“%(cause)s” was given as the main reason more often than a year ago: %(now)s (%(count)s of "
                "%(total)s) against %(before)s (%(count_before)s of %(total_before)s) in %(quarter)s.")
              if change.difference > 0 else
              _("“%(cause)s” was given as the main reason less often than a year ago: %(now)s (%(count)s of "
                "%(total)s) against %(before)s (%(count_before)s of %(total_before)s) in %(quarter)s."))
    text = phrase % grouped(cause=label, now=pct(100 * change.after[0] / change.after[1]), count=change.after[0],
                            total=change.after[1], before=pct(100 * change.before[0] / change.before[1]),
                            count_before=change.before[0], total_before=change.before[1],
                            quarter=quarter_name(ctx.last_year))
    return {"kind": "cause_change", "weight": 2 * abs(change.difference), "text": text, "cause": key}


def leavers_change(ctx: ReportContext):
    now, before = ctx.quarter_figures(ctx.period)["leavers"], ctx.quarter_figures(ctx.last_year)["leavers"]
    if not now or not before:
        return None
    change = (now - before) / before
    if abs(change) < MIN_COUNT_CHANGE:
        return None
    phrase = (_("%(now)s people left, %(change)s more than in %(quarter)s (%(before)s).") if change > 0 else
              _("%(now)s people left, %(change)s fewer than in %(quarter)s (%(before)s)."))
    text = phrase % grouped(now=now, before=before, change=pct(abs(change) * 100), quarter=quarter_name(ctx.last_year))
    return {"kind": "leavers_change", "weight": 30 + 50 * abs(change), "text": text}


def turnover_sector(ctx: ReportContext):
    rows = ctx.turnover_rows(ctx.period)
    total = next((r for r in rows if r["label"] is None), None)
    sectors = [r for r in rows if r["depth"] == 0 and r["label"] is not None and r["rate"] is not None]
    if not total or total["rate"] is None or not sectors:
        return None
    top = max(sectors, key=lambda r: (r["rate"], r["label"]))
    overall = total["rate"]
    if overall <= 0 or top["rate"] < 1.25 * overall:
        return None
    text = _("Turnover was highest in %(sector)s: %(leavers)s of %(employees)s employees left (%(rate)s), against "
             "%(overall)s in the whole organisation.", **grouped(sector=top["label"], leavers=top["leavers"],
             employees=top["headcount"], rate=pct1(top["rate"]), overall=pct1(overall)))
    return {"kind": "turnover_sector", "weight": 20 + 10 * top["rate"] / overall, "text": text, "sector": top["label"]}


def part_time(ctx: ReportContext):
    found = heiltid.part_time_wanting_more(ctx)
    if found.get("share") is None or found["share"] < 30:
        return None
    text = _("%(count)s of %(total)s who left from a part-time position wanted a larger position (%(share)s).",
             **grouped(count=found["wanted_larger"], total=found["part_time"], share=pct(found["share"])))
    text += _uncertain(found["part_time"])
    return {"kind": "part_time", "weight": found["share"] * 0.8, "text": text}


def early_leavers(ctx: ReportContext):
    if ctx.exit is None:
        return None
    found = early.tenure(ctx)
    if found.get("share") is None or found["share"] < 20:
        return None
    text = _("%(count)s of %(total)s who answered had worked here for less than a year (%(share)s).",
             **grouped(count=found["early"], total=found["all"], share=pct(found["share"])))
    text += _uncertain(found["all"])
    return {"kind": "early_leavers", "weight": found["share"] * 1.2, "text": text}


def response_rate(ctx: ReportContext):
    figures = ctx.quarter_figures(ctx.period)
    rate = figures["response_rate"]
    if rate is None or rate >= LOW_RESPONSE_RATE:
        return None
    text = _("Only %(answered)s of %(invited)s invited (%(rate)s) answered the exit questionnaire; the figures in "
             "this report are uncertain.", **grouped(answered=figures["answered"], invited=figures["invited"],
                                                     rate=pct(rate)))
    return {"kind": "response_rate", "weight": 90 - rate, "text": text}


def new_theme(ctx: ReportContext):
    """A theme new this quarter, weighed by the share of everyone who answered the exit questionnaire
    that it holds: five answers never outrank a finding about a third of everyone who left."""
    found = themes.listed(ctx)
    new = [t for t in found["themes"] if t["new"] and t["answers_now"] and t.get("of_now")]
    respondents, _state = ctx.respondents(EXIT, [ctx.period])
    if not new or not respondents:
        return None
    theme = max(new, key=lambda t: (t["answers_now"], t["label"]))
    part = share(theme["answers_now"], max(respondents, theme["of_now"]))
    text = _("A new theme appeared in the free-text answers this quarter: “%(theme)s” (%(count)s of %(total)s "
             "answers).", **grouped(theme=theme["label"], count=theme["answers_now"], total=theme["of_now"]))
    text += _uncertain(theme["of_now"])
    return {"kind": "new_theme", "weight": 10 + part / 2, "text": text}


def destination(ctx: ReportContext):
    if ctx.exit is None:
        return None
    source = ctx.gated_table(EXIT, "destination")
    total = source.totals.get(TOTAL)
    if not total:
        return None
    shares = {key: share(source.cells.get((key, TOTAL)), total) for key, _label in source.row_labels
              if key not in ("no_answer", "other")}
    shares = {k: v for k, v in shares.items() if v is not None}
    if not shares:
        return None
    key = max(shares, key=shares.get)
    text = _("The most common next step was “%(destination)s”: %(count)s of %(total)s who answered (%(share)s).",
             **grouped(destination=dict(source.row_labels)[key], count=source.cells[(key, TOTAL)], total=total,
                       share=pct(shares[key])))
    text += _uncertain(total)
    return {"kind": "destination", "weight": shares[key] * 0.6, "text": text}


RULES = (top_cause, cause_change, leavers_change, turnover_sector, part_time, early_leavers, response_rate, new_theme,
         destination)
