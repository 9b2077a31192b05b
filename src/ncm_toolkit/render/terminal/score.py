"""`ncm score` (and `ncm assess`) in a terminal: the ranking tables with `--explain`'s
contributions, the decision beside the ranking, what has changed since the guidance, and a
batch's one-line-per-profile summary."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

from ncm_toolkit.batch import Scored
from ncm_toolkit.content import ContentPack
from ncm_toolkit.currency import option_changes
from ncm_toolkit.errors import Diagnostic
from ncm_toolkit.ranking import _plan
from ncm_toolkit.render.terminal.common import form_title, hang
from ncm_toolkit.safe_text import markup, term
from ncm_toolkit.scoring import Result, shown
from ncm_toolkit.vocabulary import OBJECTIVE_IDS

SummaryRow = tuple[str, str, str, str, str, str]


def summary_row(path: str, _profile: object, res: Result) -> SummaryRow:
    """One profile's row of the batch summary (partnership, file, best option, score, margin,
    how sure), made where the profile is scored: in a worker, for a parallel batch, so that
    only these few strings travel back. A shared first rank is shown as a tie. Text from
    files is made safe for a terminal here (`safe_text.term`)."""
    first = [r for r in res.ranking if r.rank == 1]
    best = " = ".join(term(r.title) for r in first)
    if len(first) > 1:
        best = f"tie: {best}"
    sure = res.robustness
    how = (
        "tied: the board chooses"
        if len(first) > 1
        else ("fragile: one step changes it" if sure.one_step else "holds to one-step changes")
    )
    # two places for both, as the full table prints scores: "9.70" beside "8.34", never "9.7"
    return (term(res.name), term(path), best, f"{first[0].score:.2f}", f"{sure.margin:.2f}", how)


SUMMARY_COLUMNS = (("partnership", 5), ("file", 5), ("best option", 6), ("how sure", 4))
"""The summary's text columns and their shares of the width left by score and margin."""


def score_summary(
    console: object,
    items: Iterable[tuple[str, SummaryRow | None, list[Diagnostic]]],
    on_error: list[Diagnostic],
) -> None:
    """A batch at a glance, one row per profile (from `batch.iter_rendered` with
    `summary_row`), printed as each profile is scored: plain aligned columns sized to the
    terminal, words wrapped within them (a Rich table of a thousand rows costs more than
    scoring them). `--explain` (or a single profile) gives the full tables."""
    from rich.console import Console  # lazy: `ncm score --format json` needs no rich

    assert isinstance(console, Console)
    out = console.file
    gap = "  "
    free = max(console.width - 6 - 6 - 5 * len(gap), 4 * 8)
    share = sum(s for _, s in SUMMARY_COLUMNS)
    widths = [max(8, free * s // share) for _, s in SUMMARY_COLUMNS]
    name_w, file_w, best_w, how_w = widths

    def line(cells: list[list[str]], score: str, margin: str) -> None:
        height = max(len(c) for c in cells)
        for i in range(height):
            part = [c[i] if i < len(c) else "" for c in cells]
            nums = (score.rjust(6), margin.rjust(6)) if i == 0 else (" " * 6, " " * 6)
            text = gap.join([part[0].ljust(name_w), part[1].ljust(file_w), part[2].ljust(best_w),
                             *nums, part[3]])  # fmt: skip
            out.write(text.rstrip() + "\n")

    def wrap(text: str, width: int) -> list[str]:
        return textwrap.wrap(text, width, break_on_hyphens=False) or [""]

    def wrap_path(path: str, width: int) -> list[str]:
        """A path broken after its slashes, so a line ends at a folder, not mid-name; a part
        longer than the column breaks after a '-' or '_' or before a '.' inside it
        ("north-east-and-" "north-cumbria/", "east_care_" "homes.yaml"), and is cut to fit
        only where it has none."""
        lines: list[str] = []
        cur = ""

        def add(piece: str) -> None:
            nonlocal lines, cur
            if cur and len(cur) + len(piece) > width:
                lines, cur = [*lines, cur], ""
            cur += piece
            while len(cur) > width:
                lines, cur = [*lines, cur[:width]], cur[width:]

        for part in re.findall(r"[^/]*/|[^/]+", path):
            if len(part) <= width:
                add(part)
                continue
            for piece in re.findall(r"\.?[^-_./]+(?:[-_]+|/$)?|[-_./]+", part):
                add(piece)
        return [*lines, cur] if cur else lines or [""]

    rows = 0
    for _path, row, errors in items:
        on_error.extend(errors)
        if row is None:
            continue
        if not rows:
            out.write("Best option per partnership\n")
            heads = [wrap(h, w) for (h, _), w in zip(SUMMARY_COLUMNS, widths, strict=True)]
            line(heads, "score", "margin")
            line([["-" * name_w], ["-" * file_w], ["-" * best_w], ["-" * how_w]], "-" * 6, "-" * 6)
        name, path, best, score, margin, how = row
        line([wrap(name, name_w), wrap_path(path, file_w), wrap(best, best_w), wrap(how, how_w)],
             score, margin)  # fmt: skip
        rows += 1
    if rows:
        out.write("Full tables: ncm score FILE, or --explain for every file.\n")
    out.flush()


def since_the_guidance(pack: ContentPack, res: Result) -> list[str]:
    """A line for each option ranked first that has currency notes as a whole: the guidance
    is of 2015-2017, and what replaced or now frames the option (a successor contract, a
    national programme) is what a reader in 2026 needs beside the ranking."""
    lines = []
    for r in res.ranking:
        if r.rank != 1 or r.gates:
            continue
        titles = option_changes(pack.currency, r.option)
        if titles:
            lines.append(
                f"Since the guidance (2015-2017), for {r.title}: {titles} "
                f"(ncm models show {r.option})."
            )
    return lines


def score_tables(
    console: object,
    pack: ContentPack,
    items: Iterable[Scored],
    top: int | None,
    explain: bool,
    on_error: list[Diagnostic],
) -> None:
    from rich.console import Console  # lazy: `ncm score --format json` needs no rich
    from rich.table import Table

    escape = markup  # every text below came from a profile, a pack or a file name
    assert isinstance(console, Console)
    for item in items:
        on_error.extend(item.errors)
        if item.result is None:
            continue
        res = item.result
        # The heading is a line of its own: as a table title it would wrap at the table's
        # width and split a long file name.
        console.print(f"[bold]{escape(res.name)}[/bold]  ({escape(item.path)})")
        table = Table()
        table.add_column("#", justify="right")
        table.add_column("Option")
        table.add_column("Score", justify="right")
        acc = any(r.first_rank_acceptability is not None for r in res.ranking)
        if acc:  # SMAA-2: share of plausible weightings in which the option comes first
            table.add_column("First", justify="right")
        table.add_column("", no_wrap=True)
        for r in shown(res.ranking, top):
            bar = "█" * round(r.score / 5)
            # a shared rank reads "=1"; the score keeps two places so a tie is visibly level
            rank = f"={r.rank}" if r.tied_with else str(r.rank)
            tie = " (tie)" if r.tied_with else ""
            closed = escape(f" [closed: {r.gates[0].title}]") if r.gates else ""
            # a closed option is no first choice: "–", not a share (README "How sure")
            share = "–" if r.gates else f"{r.first_rank_acceptability or 0:.0%}"
            first = [share] if acc else []
            cells = [rank, escape(r.title) + tie + closed, f"{r.score:.2f}", *first, bar]
            table.add_row(*cells)
        console.print(table)
        if res.decision is not None:
            console.print(escape(decision_line(pack, res)))
        for note in res.notes:
            console.print(f"[bold]Note:[/bold] {escape(note)}")
        console.print(escape(res.robustness.sentence))
        for line in since_the_guidance(pack, res):
            console.print(escape(line))
        if explain:
            values = objective_values(pack)
            for r in shown(res.ranking, top):
                console.print(f"\n[bold]{r.rank}. {escape(r.title)}[/bold] = {r.score:.2f}")
                for c in r.contributions:
                    if c.importance:
                        # the value as well as the strength, so the line's product is its
                        # points (README "How scoring works": value per strength and breadth)
                        value = f"{values[r.option][c.objective]:.4f}".rstrip("0").rstrip(".")
                        hang(
                            console,
                            f"{escape(pack.objective_title(c.objective))} (importance"
                            f" {c.importance} × value {value}, from strength {c.strength})",
                            f"  {c.points:+7.2f}  ",
                        )
                for a in r.adjustments:
                    hang(
                        console,
                        f"{escape(a.title)} [dim]({escape(a.rule)})[/dim]",
                        f"  {a.points:+7.2f}  ",
                    )
                for g in r.gates:  # a requirement the source states: ranked after open options
                    hang(
                        console,
                        f"{escape(g.title)}: {escape(g.reason)} [dim]({escape(g.rule)})[/dim]",
                        "   closed  ",
                    )
        console.print()


def objective_values(pack: ContentPack) -> dict[str, dict[str, float]]:
    """Each option's value per objective (README "How scoring works": 100 x strength / (5 x
    T^0.8 x 27^0.2)), exact, from the scoring's own table: a value recovered from rounded
    points would differ between objectives of the same strength."""
    plan = _plan(pack)
    return {
        oid: dict(zip(OBJECTIVE_IDS, row, strict=True))
        for oid, row in zip(plan.ids, plan.values, strict=True)
    }


def decision_line(pack: ContentPack, res: Result) -> str:
    """The profile's decision beside the ranking, in plain text (escape it for the medium):
    the option and form by their titles, who agreed and when, and, plainly, when the decided
    option is not the one the ranking puts first."""
    d = res.decision or {}
    opt = pack.options.get(d.get("option", ""))
    text = "Decision: " + (opt.title if opt else str(d.get("option")))
    if d.get("form"):
        text += ", form " + form_title(pack, d["form"])
    if d.get("agreed_by"):
        text += f", agreed by {d['agreed_by']}"
    if d.get("agreed_on"):
        text += f" on {d['agreed_on']}"
    text += "."
    first = [r for r in res.ranking if r.rank == 1]
    if d.get("option") not in {r.option for r in first}:
        titles = " and ".join(r.title for r in first)
        here = next((r for r in res.ranking if r.option == d.get("option")), None)
        where = f"ranks {here.rank}" if here else "is not ranked"
        text += (
            f" The decided option is not the top-ranked: it {where}; the ranking puts "
            f"{titles} first."
        )
    return text
