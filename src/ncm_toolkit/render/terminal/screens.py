"""The content pack's reference screens: `ncm models` (and `models show`), `ncm cases` (and
`cases show`), `ncm questions` and its background, each dated and with the currency notes on
what it names."""

from __future__ import annotations

from typing import Any

from ncm_toolkit.content import ContentPack
from ncm_toolkit.currency import notes_for_area, notes_for_case, notes_for_option
from ncm_toolkit.render.terminal.common import (
    NARROW,
    Notes,
    dated,
    esc,
    hang,
    item_list,
    sources_key,
)


def models_screen(con: Any, pack: ContentPack) -> None:
    """The ten options: a table, or wrapped lines below `NARROW` columns."""
    from rich.table import Table  # lazy: `ncm score --format json` needs no rich

    heading = f"New models of care ({esc(pack.manifest.name)} {esc(pack.version)})"
    if con.width < NARROW:  # a list wraps whole words where a table would cut titles
        con.print(f"[bold]{heading}[/bold]")
        wide = len(str(max((o.number for o in pack.options.values()), default=0)))
        for opt in pack.options.values():  # numbers right-aligned: " 9." above "10."
            con.print(
                f"\n{str(opt.number).rjust(wide)}. [bold]{esc(opt.title)}[/bold] ({esc(opt.id)})"
            )
            hang(
                con,
                f"{esc(opt.group.replace('_', ' '))}; legal forms: "
                f"{esc(', '.join(opt.legal_forms))}; case studies: {len(pack.cases_for(opt.id))}",
                " " * (wide + 2),
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
