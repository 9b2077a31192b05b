"""`ncm models`, `ncm cases`, `ncm questions`: read the content pack in a terminal."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from .cli import ContentOpt, _console, _fail_usage, _pack, app

if TYPE_CHECKING:
    from .schemas import Item

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


def _esc(text: object) -> str:
    """Pack text for a Rich markup string or cell: whitespace runs as one space, controls
    shown as escapes, markup shown literally (`safe_text.markup`)."""
    from .safe_text import markup

    return markup(" ".join(str(text).split()))


def _items(console: Any, heading: str, items: "list[Item]") -> None:
    if not items:
        return
    console.print(f"\n[bold]{heading}[/bold]")
    for it in items:
        console.print(f"  • {_esc(it.text)}  [dim]({_esc(it.source.document)})[/dim]")


@models_app.callback()
def models(ctx: typer.Context, content: ContentOpt = None) -> None:
    """List the ten options; `ncm models show ID` shows one in full."""
    if ctx.invoked_subcommand:
        ctx.obj = content
        return
    from rich.table import Table

    pack = _pack(content)
    table = Table(
        title=f"New models of care ({_esc(pack.manifest.name)} {_esc(pack.version)})",
        title_justify="left",
    )
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
    _console().print(table)


@models_app.command("show")
def models_show(
    ctx: typer.Context,
    option_id: Annotated[str, typer.Argument(metavar="ID", help="An option id.")],
    content: ContentOpt = None,
) -> None:
    """Every section of one option."""
    pack = _pack(content or ctx.obj)
    opt = pack.options.get(option_id)
    if opt is None:
        _unknown("option", option_id, list(pack.options))
        return
    con = _console()
    con.print(
        f"[bold]Option {opt.number}: {_esc(opt.title)}[/bold]  ({_esc(opt.id)}, "
        f"{_esc(opt.group.replace('_', ' '))})"
    )
    con.print(_esc(opt.summary))
    _items(con, "Overview", opt.overview)
    _items(con, "Key features", opt.key_features)
    if opt.examples:
        con.print("\n[bold]Examples[/bold]")
        for ex in opt.examples:
            ref = f" [dim](case study: {_esc(ex.case_study)})[/dim]" if ex.case_study else ""
            con.print(f"  • {_esc(ex.name)}{ref}")
    _items(con, "Business case: finances", opt.business_case.finances)
    _items(con, "Business case: leadership", opt.business_case.leadership)
    _items(con, "Business case: strategy", opt.business_case.strategy)
    for heading, items in (
        ("Benefits", opt.benefits),
        ("Governance", opt.governance),
        ("Regulation", opt.regulation),
        ("Barriers", opt.barriers),
        ("Workforce considerations", opt.workforce),
        ("Success factors", opt.success_factors),
    ):
        _items(con, heading, items)
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
    table = Table(title="Case studies", title_justify="left")
    table.add_column("id", overflow="fold")
    table.add_column("title", min_width=24, ratio=1)
    table.add_column("option", overflow="fold")
    for case in sorted(pack.cases.values(), key=lambda c: (pack.options[c.option].number, c.id)):
        if option is None or case.option == option:
            table.add_row(_esc(case.id), _esc(case.title), _esc(case.option))
    _console().print(table)


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
    if case.location:
        con.print(_esc(case.location))
    if case.organisations:
        con.print("\n[bold]Organisations[/bold]")
        for org in case.organisations:
            con.print(f"  • {_esc(org)}")
    for heading, items in (
        ("Background", case.background),
        ("Challenges", case.challenges),
        ("Outcomes", case.outcomes),
        ("Governance", case.governance),
        ("Lessons and top tips", case.lessons),
    ):
        _items(con, heading, items)
    if case.figures:
        con.print("\n[bold]Figures[/bold]")
        for fig in case.figures:
            con.print(f"  • {_esc(fig.label)}: {_esc(fig.value)}")


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
    for a in areas:
        con.print(f"\n[bold]{_esc(a.title)}[/bold] ({_esc(a.id)}) — {_esc(a.summary)}")
        for i, q in enumerate(a.questions, 1):
            con.print(f"  {i:2}. {_esc(q.text)}")
        if a.reading:
            con.print(
                "  [dim]Additional reading:[/dim] " + "; ".join(_esc(r.title) for r in a.reading)
            )


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
