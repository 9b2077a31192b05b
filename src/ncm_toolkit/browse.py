"""`ncm models`, `ncm cases`, `ncm questions`: read the content pack in a terminal."""

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ncm_toolkit.cli import ContentOpt, _console, _fail_usage, _pack, app

if TYPE_CHECKING:
    from ncm_toolkit.content import ContentPack
    from ncm_toolkit.schemas import CurrencyNote, Item


class ShowFormat(str, Enum):
    text = "text"
    json = "json"


models_app = typer.Typer(
    help="Browse the ten options (new models of care).",
    invoke_without_command=True,
    rich_markup_mode=None,
)
cases_app = typer.Typer(
    help="Browse the case studies.", invoke_without_command=True, rich_markup_mode=None
)
app.add_typer(models_app, name="models")
app.add_typer(cases_app, name="cases")


NARROW = 100
"""Below this many columns lists are printed as wrapped lines, not tables that cut words."""


def _esc(text: object) -> str:
    """Pack text for a Rich markup string or cell: whitespace runs as one space, controls
    shown as escapes, markup shown literally (`safe_text.markup`)."""
    from ncm_toolkit.safe_text import markup

    return markup(" ".join(str(text).split()))


def _dated(console: Any, pack: "ContentPack") -> None:
    """When the guidance was written and when its currency notes were reviewed."""
    console.print(
        f"[dim]Guidance written {pack.manifest.written}; currency notes reviewed "
        f"{pack.currency.reviewed}.[/dim]"
    )


class _Notes:
    """Prints each currency note in full the first time a screen needs it, then refers back."""

    def __init__(self, console: Any, pack: "ContentPack") -> None:
        self.console, self.pack, self.shown = console, pack, set[str]()

    def show(self, notes: "list[CurrencyNote]", indent: str = "    ") -> None:
        from ncm_toolkit.currency import note_line

        for n in notes:
            if n.id in self.shown:
                self.console.print(
                    f'{indent}[dim italic]Since then: see "{_esc(n.title)}" above.[/dim italic]'
                )
                continue
            self.shown.add(n.id)
            self.console.print(
                f"{indent}[dim italic]{_esc(note_line(n, self.pack.currency.reviewed))}"
                "[/dim italic]"
            )

    def for_text(self, text: str, indent: str = "    ") -> None:
        from ncm_toolkit.currency import notes_for

        self.show(notes_for(self.pack.currency, text), indent)


def _items(console: Any, heading: str, items: "list[Item]", notes: "_Notes | None" = None) -> None:
    if not items:
        return
    console.print(f"\n[bold]{heading}[/bold]")
    for it in items:
        console.print(f"  • {_esc(it.text)}  [dim]({_esc(it.source.document)})[/dim]")
        if notes is not None:
            notes.for_text(it.text)


@models_app.callback()
def models(ctx: typer.Context, content: ContentOpt = None) -> None:
    """List the ten options; `ncm models show ID` shows one in full."""
    if ctx.invoked_subcommand:
        ctx.obj = content
        return
    from rich.table import Table

    pack = _pack(content)
    con = _console()
    heading = f"New models of care ({_esc(pack.manifest.name)} {_esc(pack.version)})"
    if con.width < NARROW:  # a list wraps whole words where a table would cut titles
        con.print(f"[bold]{heading}[/bold]")
        for opt in pack.options.values():
            con.print(
                f"\n{opt.number}. [bold]{_esc(opt.title)}[/bold] ({_esc(opt.id)})\n"
                f"   {_esc(opt.group.replace('_', ' '))}; legal forms: "
                f"{_esc(', '.join(opt.legal_forms))}; case studies: {len(pack.cases_for(opt.id))}"
            )
        return
    table = Table(title=heading, title_justify="left")
    for col in ("#", "id", "title", "group", "legal forms", "cases"):
        table.add_column(col, no_wrap=col == "id")
    for opt in pack.options.values():
        table.add_row(
            str(opt.number),
            _esc(opt.id),
            _esc(opt.title),
            _esc(opt.group.replace("_", " ")),
            _esc(", ".join(opt.legal_forms)),
            str(len(pack.cases_for(opt.id))),
        )
    con.print(table)


@models_app.command("show")
def models_show(
    ctx: typer.Context,
    option_id: Annotated[str, typer.Argument(metavar="ID", help="An option id.")],
    fmt: Annotated[ShowFormat, typer.Option("--format", help="Output format.")] = ShowFormat.text,
    content: ContentOpt = None,
) -> None:
    """Every section of one option, with the currency notes that qualify its statements."""
    pack = _pack(content or ctx.obj)
    opt = pack.options.get(option_id)
    if opt is None:
        _unknown("option", option_id, list(pack.options))
        return
    if fmt is ShowFormat.json:
        import sys

        from ncm_toolkit.errors import dumps_json

        sys.stdout.write(dumps_json(_option_json(pack, option_id)))
        return
    con = _console()
    con.print(
        f"[bold]Option {opt.number}: {_esc(opt.title)}[/bold]  ({_esc(opt.id)}, "
        f"{_esc(opt.group.replace('_', ' '))})"
    )
    _dated(con, pack)
    con.print(_esc(opt.summary))
    notes = _Notes(con, pack)
    from ncm_toolkit.currency import notes_for_option

    notes.for_text(opt.title + " " + opt.summary, indent="")
    notes.show(notes_for_option(pack.currency, opt.id), indent="")
    _items(con, "Overview", opt.overview, notes)
    _items(con, "Key features", opt.key_features, notes)
    if opt.examples:
        con.print("\n[bold]Examples[/bold]")
        for ex in opt.examples:
            ref = f" [dim](case study: {_esc(ex.case_study)})[/dim]" if ex.case_study else ""
            con.print(f"  • {_esc(ex.name)}{ref}")
            notes.for_text(ex.name + " " + (ex.note or ""))
    _items(con, "Business case: finances", opt.business_case.finances, notes)
    _items(con, "Business case: leadership", opt.business_case.leadership, notes)
    _items(con, "Business case: strategy", opt.business_case.strategy, notes)
    for heading, items in (
        ("Benefits", opt.benefits),
        ("Governance", opt.governance),
        ("Regulation", opt.regulation),
        ("Barriers", opt.barriers),
        ("Workforce considerations", opt.workforce),
        ("Success factors", opt.success_factors),
    ):
        _items(con, heading, items, notes)
    con.print(f"\n[bold]Usual legal forms[/bold]: {_esc(', '.join(opt.legal_forms))}")
    con.print("\n[bold]Alignment to objectives[/bold] (0-3)")
    for obj in pack.manifest.objectives:
        al = opt.alignments[obj.id]
        why = f" — {_esc(al.evidence[0].paraphrase)}" if al.evidence else ""
        con.print(f"  {al.strength}  {_esc(obj.title)}{why}")


@cases_app.callback()
def cases(
    ctx: typer.Context,
    option: Annotated[
        str | None, typer.Option("--option", help="Only this option's cases.")
    ] = None,
    content: ContentOpt = None,
) -> None:
    """List the case studies; `ncm cases show ID` shows one in full."""
    if ctx.invoked_subcommand:
        ctx.obj = content
        return
    from rich.table import Table

    pack = _pack(content)
    if option is not None and option not in pack.options:
        _unknown("option", option, list(pack.options))
    con = _console()
    ordered = sorted(pack.cases.values(), key=lambda c: (pack.options[c.option].number, c.id))
    if con.width < NARROW:
        con.print("[bold]Case studies[/bold]")
        for case in ordered:
            if option is None or case.option == option:
                con.print(
                    f"\n[bold]{_esc(case.title)}[/bold]\n   {_esc(case.id)} ({_esc(case.option)})"
                )
        return
    table = Table(title="Case studies", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("title", min_width=24, ratio=1)
    table.add_column("option", overflow="fold")
    for case in ordered:
        if option is None or case.option == option:
            table.add_row(_esc(case.id), _esc(case.title), _esc(case.option))
    con.print(table)


@cases_app.command("show")
def cases_show(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="ID", help="A case-study id.")],
    content: ContentOpt = None,
) -> None:
    """Every section of one case study."""
    pack = _pack(content or ctx.obj)
    case = pack.cases.get(case_id)
    if case is None:
        _unknown("case study", case_id, list(pack.cases))
        return
    con = _console()
    con.print(
        f"[bold]{_esc(case.title)}[/bold]  ({_esc(case.id)}; "
        f"option: {_esc(pack.options[case.option].title)})"
    )
    _dated(con, pack)
    notes = _Notes(con, pack)
    from ncm_toolkit.currency import notes_for_case

    notes.for_text(case.title, indent="")
    notes.show(notes_for_case(pack.currency, case.id), indent="")
    if case.location:
        con.print(_esc(case.location))
    if case.organisations:
        con.print("\n[bold]Organisations[/bold]")
        for org in case.organisations:
            con.print(f"  • {_esc(org)}")
            notes.for_text(org)
    for heading, items in (
        ("Background", case.background),
        ("Challenges", case.challenges),
        ("Outcomes", case.outcomes),
        ("Governance", case.governance),
        ("Lessons and top tips", case.lessons),
    ):
        _items(con, heading, items, notes)
    if case.figures:
        con.print("\n[bold]Figures[/bold]")
        for fig in case.figures:
            con.print(f"  • {_esc(fig.label)}: {_esc(fig.value)}")
            notes.for_text(fig.label + " " + fig.value)


@app.command()
def questions(
    area: Annotated[
        str | None,
        typer.Argument(
            help="An area id; all areas when omitted; `background` for Module 2's workforce "
            "and legal background."
        ),
    ] = None,
    content: ContentOpt = None,
) -> None:
    """Module 2's questions for consideration, by area (or its background topics)."""
    pack = _pack(content)
    if area == BACKGROUND and BACKGROUND not in {a.id for a in pack.considerations.areas}:
        _background(pack)
        return
    areas = pack.considerations.areas
    if area is not None:
        areas = [a for a in areas if a.id == area]
        if not areas:
            _unknown("area", area, [a.id for a in pack.considerations.areas] + [BACKGROUND])
    con = _console()
    _dated(con, pack)
    notes = _Notes(con, pack)
    for a in areas:
        con.print(f"\n[bold]{_esc(a.title)}[/bold] ({_esc(a.id)}) — {_esc(a.summary)}")
        from ncm_toolkit.currency import notes_for_area

        notes.show(notes_for_area(pack.currency, a.id), indent="  ")
        notes.for_text(a.summary, indent="  ")
        for i, q in enumerate(a.questions, 1):
            con.print(f"  {i:2}. {_esc(q.text)}")
            notes.for_text(q.text, indent="      ")
        if a.reading:
            con.print(
                "  [dim]Additional reading:[/dim] " + "; ".join(_esc(r.title) for r in a.reading)
            )
            notes.for_text(" ".join(r.title for r in a.reading), indent="  ")


def _option_json(pack: "ContentPack", option_id: str) -> dict[str, Any]:
    """One option as JSON: every item with its source and the currency notes qualifying it."""
    from ncm_toolkit.currency import note_json, notes_for, notes_for_option

    opt = pack.options[option_id]
    cur = pack.currency

    def item(text: str, source: Any) -> dict[str, Any]:
        return {
            "text": " ".join(text.split()),
            "source": {"document": source.document, "section": source.section},
            "currency": [note_json(n) for n in notes_for(cur, text)],
        }

    def items(xs: "list[Item]") -> list[dict[str, Any]]:
        return [item(x.text, x.source) for x in xs]

    return {
        "id": opt.id,
        "number": opt.number,
        "title": opt.title,
        "group": opt.group,
        "summary": opt.summary,
        "guidance_written": pack.manifest.written,
        "currency_reviewed": cur.reviewed,
        "currency": [note_json(n) for n in notes_for_option(cur, opt.id)],
        "overview": items(opt.overview),
        "key_features": items(opt.key_features),
        "examples": [
            {
                **item(ex.name + (f": {ex.note}" if ex.note else ""), ex.source),
                "case_study": ex.case_study,
            }
            for ex in opt.examples
        ],
        "business_case": {
            "finances": items(opt.business_case.finances),
            "leadership": items(opt.business_case.leadership),
            "strategy": items(opt.business_case.strategy),
        },
        "benefits": items(opt.benefits),
        "governance": items(opt.governance),
        "regulation": items(opt.regulation),
        "barriers": items(opt.barriers),
        "workforce": items(opt.workforce),
        "success_factors": items(opt.success_factors),
        "legal_forms": list(opt.legal_forms),
        "alignments": {
            obj_id: {
                "strength": al.strength,
                "evidence": [
                    {"document": e.document, "section": e.section, "paraphrase": e.paraphrase}
                    for e in al.evidence
                ],
            }
            for obj_id, al in opt.alignments.items()
        },
    }


BACKGROUND = "background"
"""Not an area id of Module 2 (`workforce` is one): the background topics before the areas."""


def _background(pack: Any) -> None:
    """Module 2's background: the workforce implications and the legal challenges."""
    con = _console()
    for t in pack.background.topics:
        con.print(f"\n[bold]{_esc(t.title)}[/bold] ({t.id})")
        for p in t.points:
            con.print(f"  • {_esc(p.text)}  [dim]({_esc(p.source.section)})[/dim]")


def _unknown(what: str, value: str, known: list[str]) -> None:
    import difflib

    close = difflib.get_close_matches(value, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    _fail_usage(f"unknown {what} '{value}'{hint}; known: {', '.join(known)}")
