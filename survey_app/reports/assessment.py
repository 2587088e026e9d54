"""The rule-written draft of the assessment (Vurdering): what changed, where, on how many answers and
how certain, and how it ties to the actions. HR reads it in the preview and may rewrite it; the
stored report keeps the text HR approved (``reports.paper``).

Like the findings, the draft reads only figures the gate shows, and says the base of every share.
"""
from __future__ import annotations

from flask_babel import gettext as _

from analysis.stats import UNCERTAIN_BELOW, two_proportions
from survey_app.period_names import quarter_name
from survey_app.privacy import share
from survey_app.reports.context import ReportContext
from survey_app.reports.layout import grouped, pct, pct1
from survey_app.reports.sections import actions as action_section, people

def _status_word(status: str) -> str:
    return {"planned": _("planned"), "started": _("under way"), "done": _("completed"),
            "stopped": _("stopped")}[status]


def _level(ctx: ReportContext) -> str:
    now, before = ctx.quarter_figures(ctx.period), ctx.quarter_figures(ctx.last_year)
    parts = []
    if now["leavers"] is not None and before["leavers"] is not None:
        parts.append(_("In %(quarter)s, %(now)s people left according to the HR system, against %(before)s in "
                       "%(last_year)s.", **grouped(quarter=quarter_name(ctx.period), now=now["leavers"],
                                                    before=before["leavers"], last_year=quarter_name(ctx.last_year))))
    elif now["leavers"] is not None:
        parts.append(_("In %(quarter)s, %(now)s people left according to the HR system.",
                       **grouped(quarter=quarter_name(ctx.period), now=now["leavers"])))
    yearly = people.yearly_turnover(ctx)
    if yearly["rate"] is not None:
        parts.append(_("Over the last four quarters, %(count)s left: a yearly turnover of %(rate)s.",
                       **grouped(count=yearly["leavers"], rate=pct1(yearly["rate"]))))
    if now["responses"] is not None:
        if now["response_rate"] is not None:
            parts.append(_("%(n)s answered the exit questionnaire: %(answered)s of %(invited)s invited (%(rate)s).",
                           **grouped(n=now["responses"], answered=now["answered"], invited=now["invited"],
                                     rate=pct(now["response_rate"]))))
        else:
            parts.append(_("%(n)s answered the exit questionnaire.", **grouped(n=now["responses"])))
    return " ".join(parts)


def _causes(ctx: ReportContext, findings: list[dict]) -> tuple[str, str | None]:
    main = ctx.main_reason
    if main is None or not main.totals.get(ctx.period) or main.status.get(ctx.period, "shown") != "shown":
        return _("Too few answered this quarter to say why people left without revealing individuals."), None
    total = main.totals[ctx.period]
    counts = {key: main.cells.get((key, ctx.period)) for key, _label in main.row_labels if key != "anna"}
    counts = {k: v for k, v in counts.items() if v}
    if not counts:
        return "", None
    top = max(counts, key=lambda k: (counts[k], k))
    label = dict(main.row_labels)[top]
    text = _("The most common main reason was “%(cause)s”: %(count)s of %(total)s answers (%(share)s).",
             **grouped(cause=label, count=counts[top], total=total, share=pct(share(counts[top], total))))
    before_total = main.totals.get(ctx.last_year)
    before = main.cells.get((top, ctx.last_year))
    if before is not None and before_total:
        change = two_proportions((before, before_total), (counts[top], total))
        text += " " + _("A year earlier it was %(count)s of %(total)s (%(share)s).",
                        **grouped(count=before, total=before_total, share=pct(share(before, before_total))))
        text += " " + (_("A change this large is unlikely to be chance.") if change.significant and
                       min(total, before_total) >= UNCERTAIN_BELOW else
                       _("The change is within what chance could give, so it should not be read as a trend yet."))
    if total < UNCERTAIN_BELOW:
        text += " " + _("The figures rest on fewer than %(n)s answers and are uncertain.", n=UNCERTAIN_BELOW)
    where = next((f for f in findings if f["kind"] == "turnover_sector"), None)
    if where:
        text += " " + where["text"]
    return text, top


def _actions(ctx: ReportContext, actions: list[dict], top: str | None) -> str:
    current = [a for a in actions if a["status"] in ("planned", "started")]
    if not actions:
        return _("No actions have been registered yet. The findings above may be a reason to consider some.")
    parts = []
    for action in actions:
        if action["status"] not in ("planned", "started", "done"):
            continue
        sentence = _("“%(title)s” (%(status)s) targets “%(target)s”.", title=action["title"],
                     status=_status_word(action["status"]), target=action["target"] or "–")
        effect = action.get("effect")
        if effect:
            values = grouped(before_count=effect["before"][1], before_total=effect["before"][2],
                             before=effect["before"][0], after_count=effect["after"][1],
                             after_total=effect["after"][2], after=effect["after"][0])
            # Which way it went, so a rise in the cause an action answers is never read as success.
            sentence += " " + ((_("Its share rose from %(before_count)s of %(before_total)s in %(before)s to "
                                  "%(after_count)s of %(after_total)s in %(after)s.") % values)
                               if effect["points"] > 0 else
                               (_("Its share fell from %(before_count)s of %(before_total)s in %(before)s to "
                                  "%(after_count)s of %(after_total)s in %(after)s.") % values)
                               if effect["points"] < 0 else
                               (_("Its share was %(before_count)s of %(before_total)s in %(before)s and "
                                  "%(after_count)s of %(after_total)s in %(after)s.") % values))
            if effect["uncertain"]:
                sentence += " " + _("Too few answers to tell whether the action works.")
            elif effect["significant"] and effect["points"] > 0:
                sentence += " " + _("A rise this large is unlikely to be chance: so far the action has not had "
                                    "the effect it was meant to have.")
            elif effect["significant"]:
                sentence += " " + _("A fall this large is unlikely to be chance.")
            else:
                sentence += " " + _("So far the change could be chance.")
        parts.append(sentence)
    if top is not None and ctx.exit is not None and not any(a.get("cause") == top for a in current):
        label = ctx.exit.question("main_reason").choice_text(top, ctx.language)
        parts.append(_("No planned or running action targets “%(cause)s”, the most common main reason this quarter.",
                       cause=label))
    return " ".join(parts)


def draft(ctx: ReportContext, findings: list[dict]) -> list[str]:
    """The draft assessment as paragraphs."""
    causes, top = _causes(ctx, findings) if ctx.exit is not None else ("", None)
    low = people.low_response(ctx)
    uncertainty = " ".join(
        _("The questionnaire “%(questionnaire)s” got %(answers)s answers against %(base)s %(of)s (%(rate)s): too "
          "few to say much about them as a group.", **grouped(questionnaire=item["questionnaire"], answers=item["answers"], base=item["base"],
                    of=item["of"], rate=pct(item["rate"]))) for item in low)
    paragraphs = [_level(ctx), causes, uncertainty, _actions(ctx, action_section.build(ctx), top)]
    return [p for p in paragraphs if p]
