"""The parts of an HTML board paper made of the content pack's text alone, rendered once per
pack and templates and reused for every paper of the run: `fragment(name, key)` (the style
sheet, the sources, table rows), and the options' guidance in Appendix A (`option_guidance`),
which a paper shows less the bullets and notes it already showed. A `Fragments` is built
from one pack and one environment and lives with them (`report._fragments`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ncm_toolkit.content import ContentPack

FRAGMENTS = "report_fragments.html.j2"
MAX_FRAGMENTS = 50_000
"""Rendered fragments kept: rows keyed by their values (an objective at an importance, a
contribution, an adjustment) recur from report to report, but not without end."""
MAX_BLOCKS = 1_000
"""Appendix A blocks kept (one per option and what of it the paper had already shown; about
15 KB each): 1,000 varied profiles make about 240, and memory stays bounded however many."""


class Fragments:
    """The fragments template's macros, rendered for one pack in one environment."""

    def __init__(self, env: Any, pack: ContentPack) -> None:
        self.env = env
        self.pack = pack
        self.made: dict[tuple[str, Any], Any] = {}
        self.blocks: dict[tuple[str, frozenset[str]], tuple[Any, frozenset[str]]] = {}
        self._module: Any = None
        self._file = FRAGMENTS

    def __call__(self, name: str, key: Any = None) -> Any:
        """`fragment(name, key)`: the macro NAME's output for KEY, whose output depends only
        on the content pack and the key."""
        slot = (name, key)
        text = self.made.get(slot)
        if text is None:
            if len(self.made) > MAX_FRAGMENTS:
                self.made.clear()
            macro = self.macro(name)
            text = self.made[slot] = macro() if name in ("sources", "css") else macro(key)
        return text

    def rows(self, name: str, keys: Any) -> Any:
        """`fragment_rows(name, keys)`: `fragment(name, key)` for each key, one after another
        (a table's rows in one call from the template, not one call a row)."""
        from markupsafe import Markup

        return Markup("".join([self(name, key) for key in keys]))

    def option_guidance(self, paper: Any, top: Any) -> Any:
        """Appendix A's guidance of the option TOP (a `report.TopOption`) for the paper whose
        `HtmlBullets` is PAPER: its summary, what has changed, its guidance and its case
        studies, each bullet and note left out if the paper already showed it. What the
        block shows depends on the option and on which of the block's own keys the paper has
        seen, so that is its key; the keys it adds to the paper's are kept with it."""
        option = top.option
        seen = paper.fresh.seen
        slot = (option.id, frozenset(paper.pieces.keys_of(option, top.cases) & seen))
        made = self.blocks.get(slot)
        if made is None:
            if len(self.blocks) > MAX_BLOCKS:
                self.blocks.clear()
            before = set(seen)
            text = self.macro("option_guidance")(option, top.cases, paper)
            made = self.blocks[slot] = (text, frozenset(seen - before))
        seen |= made[1]
        return made[0]

    def macro(self, name: object) -> Any:
        """The fragments template's macro NAME, looked up as the sandbox looks up any
        attribute (a user template calls `fragment()`): only a public macro, never a class
        or a dunder."""
        import jinja2
        from jinja2.runtime import Macro

        if self._module is None:  # the fragments template, made into a module once
            template = self.env.get_template(FRAGMENTS)
            self._file = template.filename or FRAGMENTS
            self._module = template.make_module(
                {
                    "documents": self.pack.manifest.documents,
                    "objectives": {o.id: o for o in self.pack.manifest.objectives},
                }
            )
        public = isinstance(name, str) and not name.startswith("_")
        value = self.env.getattr(self._module, name) if public else None
        if not isinstance(value, Macro):
            # named where it is missing: a user's fragments file, not the template calling it
            raise jinja2.exceptions.SecurityError(
                f"fragment(): no fragment named {name!r} in {self._file}"
            )
        return value
