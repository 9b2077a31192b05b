"""`ncm compare` in a terminal: the brief, the stakeholders' objectives and rankings, where
they disagree most, and the ranking over time; `describe_change` and `ranked_by` are shared
with the board paper (`render/report`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ncm_toolkit.content import ContentPack
from ncm_toolkit.read.yamlfile import shorten
from ncm_toolkit.render.terminal.common import hang
from ncm_toolkit.safe_text import markup

if TYPE_CHECKING:  # `ncm score` imports this package; it needs none of these
    from ncm_toolkit.compare import AnswerChange, Comparison, OptionRow


def _yes_no(value: object) -> str:
    return "yes" if value is True else "no" if value is False else "not answered"


def describe_change(pack: ContentPack, ch: AnswerChange) -> str:
    """One change in the answers as plain text (escape it for the medium it goes to)."""
    kinds = {str(k): v for k, v in pack.manifest.partner_kinds.items()}
    forms = {str(k): v.title for k, v in pack.manifest.formality.items()}
    if ch.kind == "objective":
        return f"{ch.label}: importance {ch.before} → {ch.after}"
    if ch.kind in ("partner_added", "partner_removed"):
        return f"Partner {ch.kind[8:]}: {ch.label} ({kinds.get(ch.key, ch.key)})"
    if ch.kind == "answer":
        return f"{ch.label}: {_yes_no(ch.before)} → {_yes_no(ch.after)}"
    if ch.kind == "formality":
        a, b = (forms.get(str(f), str(f)) if f else "not answered" for f in (ch.before, ch.after))
        return f"{ch.label}: {a} → {b}"
    if ch.kind == "structure":
        a, b = (
            _yes_no(v) if isinstance(v, bool) or v is None else str(v)
            for v in (ch.before, ch.after)
        )
        return f"{ch.label}: {a} → {b}"
    return f"Risk {ch.kind[5:]}: {ch.label}"


def ranked_by(cmp: Comparison, row: OptionRow) -> str:
    """'ranked 1 by a, 6 by b': each stakeholder's rank of an option, as plain text."""
    parts = [f"{r} by {s.label}" for r, s in zip(row.ranks, cmp.stakeholders, strict=True)]
    return "ranked " + ", ".join(parts)


VERDICT_STYLE = {"agreement": "green", "uncertain": "yellow", "split": "bold red"}


def compare_table(console: Any, pack: ContentPack, cmp: Comparison) -> None:
    from rich.table import Table  # lazy: `ncm score --format json` needs no rich

    escape = markup  # names, labels, titles: from profiles and packs

    _write_brief(console, cmp)
    console.print("\n[bold]Stakeholders[/bold]")
    for s in cmp.stakeholders:
        console.print(f"  {escape(s.label)}: {escape(s.name)}  [dim]({escape(s.profile)})[/dim]")
    table = Table(title="Objectives: importance 0-5", title_justify="left")
    table.add_column("Objective")
    for s in cmp.stakeholders:
        table.add_column(escape(s.label), justify="right")
    table.add_column("Combined", justify="right")
    table.add_column("Verdict")
    for o in cmp.held():
        style = VERDICT_STYLE[o.verdict]
        cells = [str(i) for i in o.importances]
        table.add_row(escape(o.title), *cells, str(o.combined), f"[{style}]{o.verdict}[/{style}]")
    console.print(table)
    counts = cmp.verdicts()
    console.print(
        f"Agreement on {counts['agreement']}, uncertain on {counts['uncertain']}, "
        f"split on {counts['split']} of the objectives held."
    )
    table = Table(
        title="Rankings: rank (score; closed: ruled out by a requirement the source states)",
        title_justify="left",
    )
    table.add_column("#", justify="right")
    table.add_column("Option (combined ranking)")
    table.add_column("Combined", justify="right")
    for s in cmp.stakeholders:
        table.add_column(escape(s.label), justify="right")
    table.add_column("Spread", justify="right")
    for r in cmp.options:
        cells = [
            f"{k} (closed)" if shut else f"{k} ({v:.2f})"  # two places, as `score`
            for k, v, shut in zip(r.ranks, r.scores, r.closed, strict=True)
        ]
        combined = "closed" if r.combined_closed else f"{r.combined_score:.2f}"
        row = [str(r.combined_rank), escape(r.title), combined, *cells]
        table.add_row(*row, str(r.rank_spread))
    console.print(table)
    for note in cmp.notes + cmp.combined.notes:
        console.print(f"[bold]Note:[/bold] {escape(note)}")
    console.print(f"[bold]Combined ranking.[/bold] {escape(cmp.combined.robustness.sentence)}")
    console.print("\n[bold]Where the stakeholders disagree most[/bold]")
    if not cmp.disputed:
        console.print("  Nowhere: every stakeholder gives every option the same rank and score.")
    for i, d in enumerate(cmp.disputed, 1):
        plural = "" if d.rank_spread == 1 else "s"
        apart = f"{d.rank_spread} place{plural}, {d.score_spread:g} points apart"
        # hung under their item: printed plainly, a wrapped line started at column 0
        head = f"[bold]{escape(d.title)}[/bold]: {escape(ranked_by(cmp, d))} ({apart})"
        hang(console, head, f"  {i}. ")
        for dr in d.drivers:
            imps = ", ".join(map(str, dr.importances))
            hang(
                console,
                f"{escape(dr.title)}: importances {imps}, strength {dr.strength}",
                "     - ",
            )
        if d.adjustment_spread:
            hang(
                console,
                "other answers (partners, yes/no, formality): up to "
                f"{d.adjustment_spread:g} points",
                "     - ",
            )
    if cmp.over_time:
        _write_over_time(console, pack, cmp)
    console.print()


def _write_brief(console: Any, cmp: Comparison) -> None:
    """The first screen: the combined first place, what the stakeholders agree on, where they
    split (who holds which view) and what the workshop must settle."""
    escape = markup

    b = cmp.brief
    if b is None:
        return

    def items(heading: str, lines: list[str], numbered: bool, empty: str) -> None:
        console.print(f"\n[bold]{heading}[/bold]")
        width = len(str(len(lines)))  # the numbers right-aligned, the texts in one column
        for i, line in enumerate(lines, 1):
            hang(console, escape(line), f"  {i:>{width}}. " if numbered else "  - ")
        if not lines:
            hang(console, escape(empty), "  ")

    console.print(f"[bold]{escape(b.lead)}[/bold]")
    items("What the stakeholders agree on", b.agree, False, "")
    items("Where they split", b.split, False, b.nothing_split)
    settle = [x.text for x in b.settle]
    items("What the workshop must settle", settle, True, b.nothing_to_settle)


def _write_over_time(console: Any, pack: ContentPack, cmp: Comparison) -> None:
    from rich.table import Table  # lazy: `ncm score --format json` needs no rich

    escape = markup

    ot = cmp.over_time
    assert ot is not None
    console.print(f"\n[bold]Over time: {escape(ot.before)} → {escape(ot.after)}[/bold]")
    a, b = ot.before_as_of or "undated", ot.after_as_of or "undated"
    dates = f" ({a} → {b})" if ot.before_as_of or ot.after_as_of else ""
    why = "the same respondent on two dates" if ot.basis == "same_respondent" else "--over-time"
    console.print(f"  [dim]Read as two snapshots: {why}{dates}.[/dim]")
    for ch in ot.changes:  # shortened: wrapping 1,000 risks of 10,000 characters took 15 s
        console.print(f"  - {escape(shorten(describe_change(pack, ch), 300))}")
    if not ot.changes:
        console.print("  No answer changed.")
    table = Table(title="How the ranking moved", title_justify="left")
    for col in ("Option", "Rank", "Move", "Score", "Change"):
        table.add_column(col, justify="left" if col == "Option" else "right")
    for m in ot.moves:
        move = f"▲{m.places}" if m.places > 0 else f"▼{-m.places}" if m.places < 0 else "="
        ranks, scores = (
            f"{m.rank_before} → {m.rank_after}",
            f"{m.score_before:.2f} → {m.score_after:.2f}",
        )
        table.add_row(escape(m.title), ranks, move, scores, f"{m.points:+.1f}")
    console.print(table)
