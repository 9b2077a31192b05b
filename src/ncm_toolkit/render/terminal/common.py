"""What every terminal renderer shares: text made safe for Rich markup (`esc`), lines hung
under their item (`hang`), the guidance's dates, currency notes, lists of sourced items and
their sources key, and the small formatters the Markdown and HTML renderers reuse (`pct`,
`num`, `because`, `who`, `source_text`). No rich at import: only `hang` needs it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ncm_toolkit.content import ContentPack
from ncm_toolkit.currency import note_line, notes_for
from ncm_toolkit.safe_text import markup
from ncm_toolkit.schemas import CurrencyNote, Item

if TYPE_CHECKING:  # `ncm score` imports this package; it needs none of these
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


def form_title(pack: ContentPack, form: str) -> str:
    """A legal form's or collaborative model's title from the pack; the id when unknown."""
    legal = pack.legal
    titles = {f.id: f.title for f in legal.legal_forms}
    titles |= {c.id: c.title for c in legal.collaborative_models}
    return titles.get(form, form)


def source_text(source: Any) -> str:
    return f"{source.document}: {source.section}"


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
