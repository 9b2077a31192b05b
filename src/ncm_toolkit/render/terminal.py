"""Rich terminal output: tables and screens for scores, comparisons, plans, readiness and the
content pack. Everything from a file passes through `esc` (or `safe_text.markup`)."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ncm_toolkit.content import ContentPack
    from ncm_toolkit.schemas import CurrencyNote, Item


NARROW = 100
"""Below this many columns lists are printed as wrapped lines, not tables that cut words."""


def esc(text: object) -> str:
    """Pack text for a Rich markup string or cell: whitespace runs as one space, controls
    shown as escapes, markup shown literally (`safe_text.markup`)."""
    from ncm_toolkit.safe_text import markup

    return markup(" ".join(str(text).split()))


def dated(console: Any, pack: "ContentPack") -> None:
    """When the guidance was written and when its currency notes were reviewed."""
    console.print(
        f"[dim]Guidance written {pack.manifest.written}; currency notes reviewed "
        f"{pack.currency.reviewed}.[/dim]"
    )


class Notes:
    """Prints each currency note in full the first time a screen needs it, then refers back."""

    def __init__(self, console: Any, pack: "ContentPack") -> None:
        self.console, self.pack, self.shown = console, pack, set[str]()

    def show(self, notes: "list[CurrencyNote]", indent: str = "    ") -> None:
        from ncm_toolkit.currency import note_line

        for n in notes:
            if n.id in self.shown:
                self.console.print(
                    f'{indent}[dim italic]Since then: see "{esc(n.title)}" above.[/dim italic]'
                )
                continue
            self.shown.add(n.id)
            self.console.print(
                f"{indent}[dim italic]{esc(note_line(n, self.pack.currency.reviewed))}[/dim italic]"
            )

    def for_text(self, text: str, indent: str = "    ") -> None:
        from ncm_toolkit.currency import notes_for

        self.show(notes_for(self.pack.currency, text), indent)


def item_list(
    console: Any, heading: str, items: "list[Item]", notes: "Notes | None" = None
) -> None:
    if not items:
        return
    console.print(f"\n[bold]{heading}[/bold]")
    for it in items:
        console.print(f"  • {esc(it.text)}  [dim]({esc(it.source.document)})[/dim]")
        if notes is not None:
            notes.for_text(it.text)


def models_screen(con: Any, pack: "ContentPack") -> None:
    """The ten options: a table, or wrapped lines below `NARROW` columns."""
    from rich.table import Table

    heading = f"New models of care ({esc(pack.manifest.name)} {esc(pack.version)})"
    if con.width < NARROW:  # a list wraps whole words where a table would cut titles
        con.print(f"[bold]{heading}[/bold]")
        for opt in pack.options.values():
            con.print(
                f"\n{opt.number}. [bold]{esc(opt.title)}[/bold] ({esc(opt.id)})\n"
                f"   {esc(opt.group.replace('_', ' '))}; legal forms: "
                f"{esc(', '.join(opt.legal_forms))}; case studies: {len(pack.cases_for(opt.id))}"
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


def option_screen(con: Any, pack: "ContentPack", option_id: str) -> None:
    """Every section of one option, with the currency notes that qualify its statements."""
    opt = pack.options[option_id]
    con.print(
        f"[bold]Option {opt.number}: {esc(opt.title)}[/bold]  ({esc(opt.id)}, "
        f"{esc(opt.group.replace('_', ' '))})"
    )
    dated(con, pack)
    con.print(esc(opt.summary))
    notes = Notes(con, pack)
    from ncm_toolkit.currency import notes_for_option

    notes.for_text(opt.title + " " + opt.summary, indent="")
    notes.show(notes_for_option(pack.currency, opt.id), indent="")
    item_list(con, "Overview", opt.overview, notes)
    item_list(con, "Key features", opt.key_features, notes)
    if opt.examples:
        con.print("\n[bold]Examples[/bold]")
        for ex in opt.examples:
            ref = f" [dim](case study: {esc(ex.case_study)})[/dim]" if ex.case_study else ""
            con.print(f"  • {esc(ex.name)}{ref}")
            notes.for_text(ex.name + " " + (ex.note or ""))
    item_list(con, "Business case: finances", opt.business_case.finances, notes)
    item_list(con, "Business case: leadership", opt.business_case.leadership, notes)
    item_list(con, "Business case: strategy", opt.business_case.strategy, notes)
    for heading, items in (
        ("Benefits", opt.benefits),
        ("Governance", opt.governance),
        ("Regulation", opt.regulation),
        ("Barriers", opt.barriers),
        ("Workforce considerations", opt.workforce),
        ("Success factors", opt.success_factors),
    ):
        item_list(con, heading, items, notes)
    con.print(f"\n[bold]Usual legal forms[/bold]: {esc(', '.join(opt.legal_forms))}")
    con.print("\n[bold]Alignment to objectives[/bold] (0-3)")
    for obj in pack.manifest.objectives:
        al = opt.alignments[obj.id]
        why = f" — {esc(al.evidence[0].paraphrase)}" if al.evidence else ""
        con.print(f"  {al.strength}  {esc(obj.title)}{why}")


def cases_screen(con: Any, pack: "ContentPack", option: str | None) -> None:
    """The case studies, in option order, optionally one option's only."""
    from rich.table import Table

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


def case_screen(con: Any, pack: "ContentPack", case_id: str) -> None:
    """Every section of one case study."""
    case = pack.cases[case_id]
    con.print(
        f"[bold]{esc(case.title)}[/bold]  ({esc(case.id)}; "
        f"option: {esc(pack.options[case.option].title)})"
    )
    dated(con, pack)
    notes = Notes(con, pack)
    from ncm_toolkit.currency import notes_for_case

    notes.for_text(case.title, indent="")
    notes.show(notes_for_case(pack.currency, case.id), indent="")
    if case.location:
        con.print(esc(case.location))
    if case.organisations:
        con.print("\n[bold]Organisations[/bold]")
        for org in case.organisations:
            con.print(f"  • {esc(org)}")
            notes.for_text(org)
    for heading, items in (
        ("Background", case.background),
        ("Challenges", case.challenges),
        ("Outcomes", case.outcomes),
        ("Governance", case.governance),
        ("Lessons and top tips", case.lessons),
    ):
        item_list(con, heading, items, notes)
    if case.figures:
        con.print("\n[bold]Figures[/bold]")
        for fig in case.figures:
            con.print(f"  • {esc(fig.label)}: {esc(fig.value)}")
            notes.for_text(fig.label + " " + fig.value)


def questions_screen(con: Any, pack: "ContentPack", areas: list[Any]) -> None:
    """Module 2's questions for consideration, area by area."""
    dated(con, pack)
    notes = Notes(con, pack)
    for a in areas:
        con.print(f"\n[bold]{esc(a.title)}[/bold] ({esc(a.id)}) — {esc(a.summary)}")
        from ncm_toolkit.currency import notes_for_area

        notes.show(notes_for_area(pack.currency, a.id), indent="  ")
        notes.for_text(a.summary, indent="  ")
        for i, q in enumerate(a.questions, 1):
            con.print(f"  {i:2}. {esc(q.text)}")
            notes.for_text(q.text, indent="      ")
        if a.reading:
            con.print(
                "  [dim]Additional reading:[/dim] " + "; ".join(esc(r.title) for r in a.reading)
            )
            notes.for_text(" ".join(r.title for r in a.reading), indent="  ")


def background_screen(con: Any, pack: "ContentPack") -> None:
    """Module 2's background: the workforce implications and the legal challenges."""
    for t in pack.background.topics:
        con.print(f"\n[bold]{esc(t.title)}[/bold] ({t.id})")
        for p in t.points:
            con.print(f"  • {esc(p.text)}  [dim]({esc(p.source.section)})[/dim]")
