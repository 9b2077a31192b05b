"""`ncm compare` of readiness records: where stakeholders disagree on a question's status (each
stakeholder's latest record), and, for a stakeholder with records of several dates, what
moved between one date and the next. Records are recognised by `kind: readiness`."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ncm_toolkit.readiness import Result


@dataclass(frozen=True)
class Moved:
    stakeholder: str
    before: Result
    after: Result

    def changes(self) -> list[dict[str, Any]]:
        b = self.before.record
        a = self.after.record
        from ncm_toolkit.readiness import answer

        out = []
        for s in _states(self.after):
            was = answer(b, s["id"]).status
            now = answer(a, s["id"]).status
            if was != now:
                out.append({**s, "before": was, "after": now})
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "stakeholder": self.stakeholder,
            "from": self.before.record.as_of.isoformat(),
            "to": self.after.record.as_of.isoformat(),
            "areas": [
                {"area": x.area, "before": x.readiness, "after": y.readiness}
                for x, y in zip(self.before.areas, self.after.areas, strict=True)
                if x.readiness != y.readiness
            ],
            "moved": self.changes(),
        }


def _states(r: Result) -> list[dict[str, str]]:
    return [{"id": q.id, "area": q.area, "text": q.text} for q in r.questions]


def _who(r: Result) -> str:
    s = r.record.stakeholder
    return f"{s.role}, {s.organisation}"


def compare(found: list[Result]) -> dict[str, Any]:
    """Disagreements among each stakeholder's latest record; moves between dates."""
    from ncm_toolkit.readiness import answer

    by_who: dict[str, list[Result]] = {}
    for r in found:
        by_who.setdefault(_who(r), []).append(r)
    for rs in by_who.values():
        rs.sort(key=lambda r: (r.record.as_of, r.file))
    latest = [rs[-1] for rs in by_who.values()]
    disagreements = []
    if len(latest) > 1:
        for q in _states(latest[0]):
            statuses = [answer(r.record, q["id"]).status for r in latest]
            if len(set(statuses)) > 1:
                disagreements.append(
                    {
                        **q,
                        "statuses": [
                            {"stakeholder": _who(r), "file": r.file, "status": st}
                            for r, st in zip(latest, statuses, strict=True)
                        ],
                    }
                )
    moves = [
        Moved(who, a, b).to_json() for who, rs in by_who.items() for a, b in itertools.pairwise(rs)
    ]
    return {
        "partnership": found[0].record.partnership,
        "stakeholders": [
            {"stakeholder": _who(r), "file": r.file, "as_of": r.record.as_of.isoformat()}
            for r in found
        ],
        "disagreements": disagreements,
        "over_time": moves,
    }


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{round(v * 100)}%"


def to_lines(cmp: dict[str, Any], esc: Any) -> list[str]:
    """The comparison as plain lines, each piece of file text passed through `esc`."""
    out = [f"Readiness compared: {esc(cmp['partnership'])}", ""]
    out.append(f"Where stakeholders disagree ({len(cmp['disagreements'])} questions):")
    if not cmp["disagreements"]:
        out.append("  none" if len({s["stakeholder"] for s in cmp["stakeholders"]}) > 1 else
                   "  one stakeholder only")  # fmt: skip
    for d in cmp["disagreements"]:
        who = "; ".join(f"{esc(s['stakeholder'])}: {s['status']}" for s in d["statuses"])
        out.append(f"  {d['id']} {esc(d['text'])}")
        out.append(f"      {who}")
    out.append("")
    out.append("Over time:")
    if not cmp["over_time"]:
        out.append("  no stakeholder has records of two dates")
    for m in cmp["over_time"]:
        out.append(f"  {esc(m['stakeholder'])}: {m['from']} -> {m['to']}")
        for a in m["areas"]:
            out.append(f"      {a['area']}: {_pct(a['before'])} -> {_pct(a['after'])}")
        for q in m["moved"]:
            out.append(f"      {q['id']}: {q['before']} -> {q['after']}")
        if not m["moved"]:
            out.append("      nothing moved")
    return out


def to_md(cmp: dict[str, Any], e: Any) -> str:
    out = [
        f"# Readiness compared: {e(cmp['partnership'])}",
        "",
        "## Where stakeholders disagree",
        "",
    ]
    for d in cmp["disagreements"]:
        who = "; ".join(f"{e(s['stakeholder'])}: {s['status']}" for s in d["statuses"])
        out.append(f"- **{d['id']}** {e(d['text'])} ({who})")
    if not cmp["disagreements"]:
        out.append("None.")
    out += ["", "## Over time", ""]
    for m in cmp["over_time"]:
        out.append(f"- **{e(m['stakeholder'])}**, {m['from']} to {m['to']}:")
        for a in m["areas"]:
            out.append(f"  - {a['area']}: {_pct(a['before'])} to {_pct(a['after'])}")
        for q in m["moved"]:
            out.append(f"  - {q['id']}: {q['before']} to {q['after']}")
    if not cmp["over_time"]:
        out.append("No stakeholder has records of two dates.")
    return "\n".join(out) + "\n"
