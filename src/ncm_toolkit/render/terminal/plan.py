"""`ncm plan` in a terminal: the option, the organisational forms and what the chosen one
requires, the workforce implications and the currency notes since the guidance."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ncm_toolkit.currency import note_line
from ncm_toolkit.render.terminal.common import hang, source_text
from ncm_toolkit.safe_text import markup

if TYPE_CHECKING:  # `ncm score` imports this package; it needs none of these
    from ncm_toolkit.plan import Plan

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
