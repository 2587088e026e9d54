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

from flask_babel import get_locale, gettext as _
from babel.numbers import format_decimal

from analysis.stats import two_proportions, uncertain
from survey_app.period_names import quarter_name
from survey_app.privacy import share
from survey_app.services.dashboard import TOTAL

FINDINGS = 3
MIN_CHANGE_POINTS = 5      # smaller changes in a share are noise at these group sizes
MIN_COUNT_CHANGE = 0.15    # leavers up or down by at least 15 %
LOW_RESPONSE_RATE = 50.0


def pct(value: float) -> str:
    return f"{format_decimal(round(value), locale=str(get_locale()))} %"


def pct1(value: float) -> str:
    return f"{format_decimal(round(value, 1), format='#,##0.0', locale=str(get_locale()))} %"


def choose(content: dict, facts: dict) -> list[dict]:
    proposals = [f for f in (rule(content, facts) for rule in RULES) if f]
    proposals.sort(key=lambda f: -f["weight"])
    return proposals[:FINDINGS]


def _uncertain(n: int | None) -> str:
    if not uncertain(n):
        return ""
    from analysis.stats import UNCERTAIN_BELOW
    return " " + _("This rests on fewer than %(n)s answers and is uncertain.", n=UNCERTAIN_BELOW)


def _quarter(content: dict, facts: dict, key: str) -> str:
    return quarter_name(facts[key])


def top_cause(content, facts):
    main = facts.get("main_reason")
    if not main:
        return None
    now = facts["current"]
    shares = {key: share(main["cells"].get((key, now)), main["totals"].get(now)) for key, _label in main["rows"]}
    shares = {k: v for k, v in shares.items() if v is not None and k != "anna"}
    if not shares:
        return None
    key = max(shares, key=shares.get)
    label = dict(main["rows"])[key]
    text = _("The most common main reason for leaving was “%(cause)s”: %(count)s of %(total)s answers (%(share)s).",
             cause=label, count=main["cells"][(key, now)], total=main["totals"][now], share=pct(shares[key]))
    earlier = main["cells"].get((key, facts["last_year"])), main["totals"].get(facts["last_year"])
    before = share(*earlier)
    if before is not None:
        text += " " + _("In %(quarter)s it was %(count)s of %(total)s (%(share)s).",
                        quarter=_quarter(content, facts, "last_year"), count=earlier[0], total=earlier[1],
                        share=pct(before))
    text += _uncertain(main["totals"][now])
    return {"kind": "top_cause", "weight": 40 + shares[key] / 2, "text": text}


def cause_change(content, facts):
    """The main reason whose share changed most since a year ago, if the change is more than chance."""
    main = facts.get("main_reason")
    if not main:
        return None
    now, before = facts["current"], facts["last_year"]
    n_now, n_before = main["totals"].get(now), main["totals"].get(before)
    if not n_now or not n_before:
        return None
    best = None
    for key, label in main["rows"]:
        a, b = main["cells"].get((key, now)), main["cells"].get((key, before))
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
    text = phrase % {"cause": label, "now": pct(100 * change.after[0] / change.after[1]), "count": change.after[0],
                     "total": change.after[1], "before": pct(100 * change.before[0] / change.before[1]),
                     "count_before": change.before[0], "total_before": change.before[1],
                     "quarter": _quarter(content, facts, "last_year")}
    return {"kind": "cause_change", "weight": 2 * abs(change.difference), "text": text}


def leavers_change(content, facts):
    figures = facts["figures"]
    now, before = figures[facts["current"]]["leavers"], figures[facts["last_year"]]["leavers"]
    if not now or not before:
        return None
    change = (now - before) / before
    if abs(change) < MIN_COUNT_CHANGE:
        return None
    phrase = (_("%(now)s people left, %(change)s more than in %(quarter)s (%(before)s).") if change > 0 else
              _("%(now)s people left, %(change)s fewer than in %(quarter)s (%(before)s)."))
    text = phrase % {"now": now, "before": before, "change": pct(abs(change) * 100),
                     "quarter": _quarter(content, facts, "last_year")}
    return {"kind": "leavers_change", "weight": 30 + 50 * abs(change), "text": text}


def turnover_sector(content, facts):
    rows = content.get("people", {}).get("turnover", {}).get("rows", [])
    total = next((r for r in rows if r.get("strong")), None)
    sectors = [r for r in rows if r["depth"] == 0 and not r.get("strong") and r["values"][2] is not None]
    if not total or total["values"][2] is None or not sectors:
        return None
    top = max(sectors, key=lambda r: r["values"][2])
    overall = total["values"][2]
    if overall <= 0 or top["values"][2] < 1.25 * overall:
        return None
    text = _("Turnover was highest in %(sector)s: %(rate)s of employees left, against %(overall)s in the whole "
             "organisation.", sector=top["label"], rate=pct1(top["values"][2]), overall=pct1(overall))
    return {"kind": "turnover_sector", "weight": 20 + 10 * top["values"][2] / overall, "text": text}


def part_time(content, facts):
    heiltid = facts.get("heiltid") or {}
    if heiltid.get("share") is None or heiltid["share"] < 30:
        return None
    text = _("%(count)s of %(total)s who left from a part-time position wanted a larger position (%(share)s).",
             count=heiltid["wanted_larger"], total=heiltid["part_time"], share=pct(heiltid["share"]))
    text += _uncertain(heiltid["part_time"])
    return {"kind": "part_time", "weight": heiltid["share"] * 0.8, "text": text}


def early_leavers(content, facts):
    early = facts.get("early") or {}
    if early.get("share") is None or early["share"] < 20:
        return None
    text = _("%(count)s of %(total)s who answered had worked here for less than a year (%(share)s).",
             count=early["early"], total=early["all"], share=pct(early["share"]))
    text += _uncertain(early["all"])
    return {"kind": "early_leavers", "weight": early["share"] * 1.2, "text": text}


def response_rate(content, facts):
    rate = facts["figures"][facts["current"]]["response_rate"]
    if rate is None or rate >= LOW_RESPONSE_RATE:
        return None
    figures = facts["figures"][facts["current"]]
    text = _("Only %(answered)s of %(invited)s invited (%(rate)s) answered the exit questionnaire; the figures in "
             "this report are uncertain.", answered=figures["answered"], invited=figures["invited"], rate=pct(rate))
    return {"kind": "response_rate", "weight": 90 - rate, "text": text}


def new_theme(content, facts):
    """A theme new this quarter, weighed by the share of the quarter's free-text answers it holds, so
    five answers never outrank a finding about a third of everyone who left."""
    new = [t for t in facts.get("themes", []) if t["new"] and t["answers_now"] and t.get("of_now")]
    if not new:
        return None
    theme = max(new, key=lambda t: t["answers_now"])
    part = share(theme["answers_now"], theme["of_now"])
    text = _("A new theme appeared in the free-text answers this quarter: “%(theme)s” (%(count)s of %(total)s "
             "answers).", theme=theme["label"], count=theme["answers_now"], total=theme["of_now"])
    text += _uncertain(theme["of_now"])
    return {"kind": "new_theme", "weight": 10 + part, "text": text}


def destination(content, facts):
    dest = facts.get("destination")
    if not dest or not dest["total"]:
        return None
    shares = {key: share(dest["cells"].get((key, TOTAL)), dest["total"]) for key, _label in dest["rows"]
              if key not in ("no_answer", "other")}
    shares = {k: v for k, v in shares.items() if v is not None}
    if not shares:
        return None
    key = max(shares, key=shares.get)
    text = _("The most common next step was “%(destination)s”: %(count)s of %(total)s who answered (%(share)s).",
             destination=dict(dest["rows"])[key], count=dest["cells"][(key, TOTAL)], total=dest["total"],
             share=pct(shares[key]))
    text += _uncertain(dest["total"])
    return {"kind": "destination", "weight": shares[key] * 0.6, "text": text}


RULES = (top_cause, cause_change, leavers_change, turnover_sector, part_time, early_leavers, response_rate, new_theme,
         destination)
