"""`ncm compare` of readiness records: where stakeholders disagree on a question's status (each
stakeholder's latest record), and, for a stakeholder with records of several dates, what
moved between one date and the next. Records are recognised by `kind: readiness`."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ncm_toolkit.compare import name_key
from ncm_toolkit.errors import Diagnostic
from ncm_toolkit.read.loader import locate, node_tree
from ncm_toolkit.read.yamlfile import LoadError, read_text
from ncm_toolkit.readiness import Result, answer


@dataclass(frozen=True)
class Moved:
    stakeholder: str
    before: Result
    after: Result

    def changes(self) -> list[dict[str, Any]]:
        b = self.before.record
        a = self.after.record
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


def _key(r: Result) -> tuple[str, str]:
    """A stakeholder as a profile's respondent is matched: case and runs of spaces aside."""
    s = r.record.stakeholder
    return name_key(s.role), name_key(s.organisation)


def same_day(found: list[Result], paths: list[Path]) -> list[Diagnostic]:
    """One stakeholder's two records of one `as_of` date (a copy edited apart): neither is
    the later, so which is the stakeholder's view cannot be known (the file name chose it,
    and the pair read as a change over time between a date and itself). Each second one is
    an error at its `as_of`; `paths` are the records' files, in the order of `found`."""
    first: dict[tuple[tuple[str, str], Any], Result] = {}
    out = []
    for r, path in zip(found, paths, strict=True):
        key = (_key(r), r.record.as_of)
        if key not in first:
            first[key] = r
            continue
        try:
            line, col = locate(node_tree(read_text(path)), ("as_of",), key=True)
        except LoadError:
            line, col = 1, 1
        date, before = r.record.as_of.isoformat(), first[key]
        out.append(
            Diagnostic(
                r.file,
                line,
                col,
                f"{date}, the same date as {before.file}'s record of {_who(before)}: neither "
                "is the later, so the stakeholder's current answers are unknown",
                "as_of",
                "keep one of them, or give the later its own date",
            )
        )
    return out


def compare(found: list[Result]) -> dict[str, Any]:
    """Disagreements among each stakeholder's latest record; moves between dates. A
    stakeholder is matched case and spaces aside, shown as their first record names them."""
    by_key: dict[tuple[str, str], list[Result]] = {}
    for r in found:
        by_key.setdefault(_key(r), []).append(r)
    by_who = {_who(rs[0]): rs for rs in by_key.values()}
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
