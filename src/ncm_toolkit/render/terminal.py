"""Rich terminal output: tables and screens for scores, comparisons, plans, readiness and the
content pack. Everything from a file passes through `esc` (or `safe_text.markup`)."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ncm_toolkit.batch import Scored
from ncm_toolkit.content import ContentPack
from ncm_toolkit.currency import (
    note_line,
    notes_for,
    notes_for_area,
    notes_for_case,
    notes_for_option,
)
from ncm_toolkit.errors import Diagnostic
from ncm_toolkit.ranking import _plan
from ncm_toolkit.read.yamlfile import shorten
from ncm_toolkit.safe_text import markup, term
from ncm_toolkit.schemas import CurrencyNote, Item
from ncm_toolkit.scoring import Result, shown
from ncm_toolkit.vocabulary import OBJECTIVE_IDS

if TYPE_CHECKING:  # `ncm score` imports this module; it needs none of these
    from ncm_toolkit.compare import AnswerChange, Comparison, OptionRow
    from ncm_toolkit.plan import Plan
    from ncm_toolkit.readiness import QuestionState
    from ncm_toolkit.readiness import Result as ReadinessResult

NARROW = 100
"""Below this many columns lists are printed as wrapped lines, not tables that cut words."""


def esc(text: object) -> str:
    """Pack text for a Rich markup string or cell: whitespace runs as one space, controls
    shown as escapes, markup shown literally (`safe_text.markup`)."""
    return markup(" ".join(str(text).split()))


def hang(console: Any, text: str, prefix: str = "", indent: int | None = None) -> None:
    """Print Rich markup `text` after `prefix`, its continuation lines indented under the text
    (`indent` columns, by default the prefix's width) and without trailing spaces: printed
    plainly, a wrapped line starts at column 0 and loses the item it belongs to."""
    from rich.text import Text  # lazy: `ncm score --format json` needs no rich

    indent = len(prefix) if indent is None else indent
    width = max(20, console.width - indent)
    first = True
    for line in Text.from_markup(text).wrap(console, width):
        line.rstrip()
        lead = prefix if first else " " * indent
        console.print(Text(lead) + line, soft_wrap=True)
        first = False


def dated(console: Any, pack: ContentPack) -> None:
    """When the guidance was written and when its currency notes were reviewed."""
    console.print(
        f"[dim]Guidance written {pack.manifest.written}; currency notes reviewed "
        f"{pack.currency.reviewed}.[/dim]"
    )


class Notes:
    """Prints each currency note in full the first time a screen needs it, then refers back."""

    def __init__(self, console: Any, pack: ContentPack) -> None:
        self.console, self.pack, self.shown = console, pack, set[str]()

    def show(self, notes: list[CurrencyNote], indent: str = "    ") -> None:
        for n in notes:
            if n.id in self.shown:
                hang(
                    self.console,
                    f'[dim italic]Since then: see "{esc(n.title)}" above.[/dim italic]',
                    indent,
                )
                continue
            self.shown.add(n.id)
            hang(
                self.console,
                f"[dim italic]{esc(note_line(n, self.pack.currency.reviewed))}[/dim italic]",
                indent,
            )

    def for_text(self, text: str, indent: str = "    ") -> None:
        self.show(notes_for(self.pack.currency, text), indent)


def item_list(
    console: Any,
    heading: str,
    items: list[Item],
    notes: Notes | None = None,
    cited: set[str] | None = None,
) -> None:
    """A heading and its items, each with the id of the document it comes from; the ids are
    added to `cited`, for `sources_key` to name the documents after the screen."""
    if not items:
        return
    console.print(f"\n[bold]{heading}[/bold]")
    for it in items:
        hang(console, f"{esc(it.text)}  [dim]({esc(it.source.document)})[/dim]", "  • ")
        if cited is not None:
            cited.add(it.source.document)
        if notes is not None:
            notes.for_text(it.text)


def sources_key(console: Any, pack: ContentPack, cited: set[str]) -> None:
    """What each document id after an item stands for: `(module1)` or `(hempsons)` alone told
    a reader who had not seen the pack nothing."""
    docs = [d for d in pack.manifest.documents if d.id in cited]
    if not docs:
        return
    console.print("\n[bold]Sources[/bold] (the id in brackets after each item)")
    for d in docs:
        hang(console, f"{esc(d.id)}: {esc(d.title)}, {esc(d.publisher)}", "  ", 4)


def models_screen(con: Any, pack: ContentPack) -> None:
    """The ten options: a table, or wrapped lines below `NARROW` columns."""
    from rich.table import Table  # lazy: `ncm score --format json` needs no rich

    heading = f"New models of care ({esc(pack.manifest.name)} {esc(pack.version)})"
    if con.width < NARROW:  # a list wraps whole words where a table would cut titles
        con.print(f"[bold]{heading}[/bold]")
        for opt in pack.options.values():
            con.print(f"\n{opt.number}. [bold]{esc(opt.title)}[/bold] ({esc(opt.id)})")
            hang(
                con,
                f"{esc(opt.group.replace('_', ' '))}; legal forms: "
                f"{esc(', '.join(opt.legal_forms))}; case studies: {len(pack.cases_for(opt.id))}",
                "   ",
            )
        return
    table = Table(title=heading, title_justify="left")
    for col in ("#", "id", "title", "group", "legal forms", "cases"):
        table.add_column(col, no_wrap=col == "id")
    for opt in pack.options.values():
        table.add_row(
            str(opt.number),
            esc(opt.id),
            esc(opt.title),
            esc(opt.group.replace("_", " ")),
            esc(", ".join(opt.legal_forms)),
            str(len(pack.cases_for(opt.id))),
        )
    con.print(table)


def option_screen(con: Any, pack: ContentPack, option_id: str) -> None:
    """Every section of one option, with the currency notes that qualify its statements."""
    opt = pack.options[option_id]
    hang(
        con,
        f"[bold]Option {opt.number}: {esc(opt.title)}[/bold]  ({esc(opt.id)}, "
        f"{esc(opt.group.replace('_', ' '))})",
    )
    dated(con, pack)
    hang(con, esc(opt.summary))
    notes = Notes(con, pack)
    notes.for_text(opt.title + " " + opt.summary, indent="")
    notes.show(notes_for_option(pack.currency, opt.id), indent="")
    cited: set[str] = set()
    item_list(con, "Overview", opt.overview, notes, cited)
    item_list(con, "Key features", opt.key_features, notes, cited)
    if opt.examples:
        con.print("\n[bold]Examples[/bold]")
        for ex in opt.examples:
            ref = f" [dim](case study: {esc(ex.case_study)})[/dim]" if ex.case_study else ""
            hang(con, f"{esc(ex.name)}{ref}", "  • ")
            notes.for_text(ex.name + " " + (ex.note or ""))
    item_list(con, "Business case: finances", opt.business_case.finances, notes, cited)
    item_list(con, "Business case: leadership", opt.business_case.leadership, notes, cited)
    item_list(con, "Business case: strategy", opt.business_case.strategy, notes, cited)
    for heading, items in (
        ("Benefits", opt.benefits),
        ("Governance", opt.governance),
        ("Regulation", opt.regulation),
        ("Barriers", opt.barriers),
        ("Workforce considerations", opt.workforce),
        ("Success factors", opt.success_factors),
    ):
        item_list(con, heading, items, notes, cited)
    con.print(f"\n[bold]Usual legal forms[/bold]: {esc(', '.join(opt.legal_forms))}")
    con.print("\n[bold]Alignment to objectives[/bold] (0-3)")
    for obj in pack.manifest.objectives:
        al = opt.alignments[obj.id]
        why = f" — {esc(al.evidence[0].paraphrase)}" if al.evidence else ""
        hang(con, f"{esc(obj.title)}{why}", f"  {al.strength}  ")
    sources_key(con, pack, cited)


def cases_screen(con: Any, pack: ContentPack, option: str | None) -> None:
    """The case studies, in option order, optionally one option's only."""
    from rich.table import Table  # lazy: `ncm score --format json` needs no rich

    ordered = sorted(pack.cases.values(), key=lambda c: (pack.options[c.option].number, c.id))
    if con.width < NARROW:
        con.print("[bold]Case studies[/bold]")
        for case in ordered:
            if option is None or case.option == option:
                con.print(
                    f"\n[bold]{esc(case.title)}[/bold]\n   {esc(case.id)} ({esc(case.option)})"
                )
        return
    table = Table(title="Case studies", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("title", min_width=24, ratio=1)
    table.add_column("option", overflow="fold")
    for case in ordered:
        if option is None or case.option == option:
            table.add_row(esc(case.id), esc(case.title), esc(case.option))
    con.print(table)


def case_screen(con: Any, pack: ContentPack, case_id: str) -> None:
    """Every section of one case study."""
    case = pack.cases[case_id]
    hang(
        con,
        f"[bold]{esc(case.title)}[/bold]  ({esc(case.id)}; "
        f"option: {esc(pack.options[case.option].title)})",
    )
    dated(con, pack)
    notes = Notes(con, pack)
    notes.for_text(case.title, indent="")
    notes.show(notes_for_case(pack.currency, case.id), indent="")
    cited: set[str] = set()
    if case.location:
        con.print(esc(case.location))
    if case.organisations:
        con.print("\n[bold]Organisations[/bold]")
        for org in case.organisations:
            hang(con, esc(org), "  • ")
            notes.for_text(org)
    for heading, items in (
        ("Background", case.background),
        ("Challenges", case.challenges),
        ("Outcomes", case.outcomes),
        ("Governance", case.governance),
        ("Lessons and top tips", case.lessons),
    ):
        item_list(con, heading, items, notes, cited)
    if case.figures:
        con.print("\n[bold]Figures[/bold]")
        for fig in case.figures:
            hang(con, f"{esc(fig.label)}: {esc(fig.value)}", "  • ")
            notes.for_text(fig.label + " " + fig.value)
    sources_key(con, pack, cited)


def questions_screen(con: Any, pack: ContentPack, areas: list[Any]) -> None:
    """Module 2's questions for consideration, area by area."""
    dated(con, pack)
    notes = Notes(con, pack)
    for a in areas:
        con.print()
        hang(con, f"[bold]{esc(a.title)}[/bold] ({esc(a.id)}) — {esc(a.summary)}")
        notes.show(notes_for_area(pack.currency, a.id), indent="  ")
        notes.for_text(a.summary, indent="  ")
        for i, q in enumerate(a.questions, 1):
            hang(con, esc(q.text), f"  {i:2}. ")
            notes.for_text(q.text, indent="      ")
        if a.reading:
            reading = "; ".join(esc(r.title) for r in a.reading)
            hang(con, "[dim]Additional reading:[/dim] " + reading, "  ", indent=6)
            notes.for_text(" ".join(r.title for r in a.reading), indent="  ")


def background_screen(con: Any, pack: ContentPack) -> None:
    """Module 2's background: the workforce implications and the legal challenges, dated and
    with the currency notes on what it names (vanguards, STPs, ...), as `questions_screen`."""
    dated(con, pack)
    notes = Notes(con, pack)
    for t in pack.background.topics:
        con.print()
        hang(con, f"[bold]{esc(t.title)}[/bold] ({t.id})")
        for p in t.points:
            hang(con, f"{esc(p.text)}  [dim]({esc(p.source.section)})[/dim]", "  • ")
            notes.for_text(p.text, indent="      ")


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
    return (term(res.name), term(path), best, f"{first[0].score:.1f}", f"{sure.margin:g}", how)


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
    free = max(console.width - 5 - 6 - 5 * len(gap), 4 * 8)
    share = sum(s for _, s in SUMMARY_COLUMNS)
    widths = [max(8, free * s // share) for _, s in SUMMARY_COLUMNS]
    name_w, file_w, best_w, how_w = widths

    def line(cells: list[list[str]], score: str, margin: str) -> None:
        height = max(len(c) for c in cells)
        for i in range(height):
            part = [c[i] if i < len(c) else "" for c in cells]
            nums = (score.rjust(5), margin.rjust(6)) if i == 0 else (" " * 5, " " * 6)
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
            line([["-" * name_w], ["-" * file_w], ["-" * best_w], ["-" * how_w]], "-" * 5, "-" * 6)
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
        notes = notes_for_option(pack.currency, r.option)
        if notes:
            titles = "; ".join(n.title for n in notes)
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
            first = [f"{r.first_rank_acceptability:.0%}"] if acc else []
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
                            f" {c.importance} x value {value}, from strength {c.strength})",
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
        text += ", form " + _form_title(pack, d["form"])
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


def _form_title(pack: ContentPack, form: str) -> str:
    """A legal form's or collaborative model's title from the pack; the id when unknown."""
    legal = pack.legal
    titles = {f.id: f.title for f in legal.legal_forms}
    titles |= {c.id: c.title for c in legal.collaborative_models}
    return titles.get(form, form)


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
            f"{k} (closed)" if shut else f"{k} ({v:.1f})"
            for k, v, shut in zip(r.ranks, r.scores, r.closed, strict=True)
        ]
        combined = "closed" if r.combined_closed else f"{r.combined_score:.1f}"
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
            f"{m.score_before:.1f} → {m.score_after:.1f}",
        )
        table.add_row(escape(m.title), ranks, move, scores, f"{m.points:+.1f}")
    console.print(table)


def source_text(source: Any) -> str:
    return f"{source.document}: {source.section}"


LEVEL_STYLE = {"likely": "bold red", "possible": "yellow", "unlikely": "green"}


def plan_table(console: Any, plans: list[tuple[str, Plan]]) -> None:
    """Every text from a file (the profile, the pack) goes through `safe_text.markup`: it is
    printed with Rich markup on, and Rich's own `escape` would leave controls raw."""
    from rich.table import Table  # lazy: `ncm score --format json` needs no rich

    escape = markup

    for where, p in plans:
        console.print()
        hang(console, f"[bold]{escape(p.name)}[/bold]  [dim]({escape(where)})[/dim]")
        console.print(
            f"[dim]Guidance written {escape(p.written)}; currency notes reviewed "
            f"{escape(p.reviewed)}.[/dim]"
        )
        console.print(
            f"Option: [bold]{escape(p.option_title)}[/bold] ({p.option}; "
            f"chosen by {p.option_chosen_by})"
        )
        console.print(f"Form: [bold]{escape(p.form_title)}[/bold] ({p.form})")
        hang(
            console,
            f"{escape(p.form_reason)}  [dim]({escape(source_text(p.form_source))})[/dim]",
            "  ",
        )
        console.print("Organisational forms")  # a table title is padded to the table's width
        forms = Table()
        for col in ("form", "formality", "fits"):
            forms.add_column(col, overflow="fold")
        for f in p.forms:
            fits = "yes" if f.fits else "no: " + escape("; ".join(f.why_not))
            # by title, the id after it for --form: ids alone ("section_75_partnership") were
            # words a board analyst had to look up
            forms.add_row(
                f"{escape(f.title)} [dim]({escape(f.form)})[/dim]", escape(f.formality), fits
            )
        console.print(forms)
        chosen = next(f for f in p.forms if f.form == p.form)
        console.print(f"[bold]{escape(chosen.title)} requires[/bold]")
        for r in chosen.requires:
            text = escape(" ".join(r.text.split()))
            hang(console, f"{text}  [dim]({escape(source_text(r.source))})[/dim]", "  • ")
        _implications(console, p)
        if p.currency:
            console.print(
                f"\n[bold]Since the guidance was written[/bold] (notes reviewed {p.reviewed})"
            )
            for n in p.currency:
                hang(console, f"[italic]{escape(note_line(n, p.reviewed))}[/italic]", "  ")


def _implications(console: Any, p: Plan) -> None:
    """The workforce implications one after another, each with its level, reason, first step
    and source on lines of their own, indented under it: a five-column table folded ids and
    sentences a word a line on an 80-column terminal."""
    console.print("[bold]Workforce implications[/bold]")
    for i in p.implications:
        level = f"[{LEVEL_STYLE[i.level]}]{i.level}[/]"
        head = f"• [bold]{markup(i.title)}[/bold]: {level}  [dim]({markup(i.topic)})[/dim]"
        hang(console, head, "  ", indent=4)
        silent = " (source silent)" if i.source_silent else ""
        lines = [("Why", i.reason)]
        lines += [("First step", i.actions[0].text)] if i.actions else []
        lines += [("Source", source_text(i.source) + silent)]
        # "source silent" alone leaves the reader guessing what the level rests on
        lines += [("Note", i.note)] if i.source_silent and i.note else []
        for label, text in lines:
            body = f"[dim]{label}:[/dim] {markup(' '.join(text.split()))}"
            hang(console, body, "      ")


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{round(value * 100)}%"


def num(value: float) -> str:
    return f"{value:g}"


def because(reasons: Sequence[str]) -> str:
    """A blocking question's reasons as one sentence ending in one full stop: some reasons
    end with their own ("... before it is set up."), and a paper's added one made two."""
    text = "; ".join(reasons)
    return text if text.endswith((".", "!", "?")) else text + "."


def who(r: ReadinessResult) -> str:
    s = r.record.stakeholder
    return f"{s.role}, {s.organisation} (as of {r.record.as_of.isoformat()})"


def readiness_table(
    console: Any, found: list[ReadinessResult], pack: ContentPack | None = None
) -> None:
    """Each record's readiness; with `pack`, the option and form that decide which questions
    block are named by their titles (a bare "for: gp_federation, ..." explained nothing)."""
    from rich.table import Table  # lazy: `ncm score --format json` needs no rich

    for r in found:
        console.print(f"[bold]{markup(r.record.partnership)}[/bold]: {markup(who(r))}")
        console.print(f"file: {markup(r.file)}")
        if r.plan:
            option, form = r.plan["option"], r.plan["form"]
            if pack is not None:
                opt = pack.options.get(option)
                option = f"{opt.title} ({option})" if opt else option
                form = f"{_form_title(pack, form)} ({form})"
            hang(
                console,
                f"blocking questions are those of the option {markup(option)} and the form"
                f" {markup(form)} (as `ncm plan` gives them)",
            )
        t = Table("Area", "Readiness", "Settled", "Applicable")
        for a in r.areas:
            t.add_row(markup(a.title), pct(a.readiness), num(a.settled), str(a.applicable))
        console.print(t)
        _readiness_states(
            console, "Blocking (open questions that matter most)", r.blocking, r.plan is None
        )
        _readiness_states(console, "Next actions (by owner, then due date)", r.actions, False)
        console.print("")


def _readiness_states(console: Any, title: str, states: list[QuestionState], no_plan: bool) -> None:
    console.print(f"[bold]{title}[/bold]")
    if no_plan:
        console.print("  (give --profile, or `profile:` in the record, to see them)")
        return
    if not states:
        console.print("  none")
    for s in states:
        due = s.due.isoformat() if s.due else "no date"
        owner = markup(s.owner) if s.owner else "no owner"
        # hung under their item: printed plainly, a wrapped question started at column 0
        hang(console, f"{s.id} \\[{s.status}] {owner}, {due}: {markup(s.text)}", "  ", 4)
        for why in s.reasons:
            hang(console, f"because: {markup(why)}", "      ", 15)


def readiness_compare_lines(cmp: dict[str, Any], esc: Any) -> list[str]:
    """The comparison as plain lines, each piece of file text passed through `esc`."""
    out = [f"Readiness compared: {esc(cmp['partnership'])}", ""]
    n = len(cmp["disagreements"])
    out.append(f"Where stakeholders disagree ({n} question{'s' * (n != 1)}):")
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
            out.append(f"      {a['area']}: {pct(a['before'])} -> {pct(a['after'])}")
        for q in m["moved"]:
            out.append(f"      {q['id']}: {q['before']} -> {q['after']}")
        if not m["moved"]:
            out.append("      nothing moved")
    return out
