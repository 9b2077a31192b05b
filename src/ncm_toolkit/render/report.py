"""Reports: a profile and its scores, with the guidance for the top options, rendered to
Markdown or HTML through the Jinja templates in `templates/`."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ncm_toolkit import __version__
from ncm_toolkit.board import (
    Deduper,
    board_view,
    bullet_key,
    cover_implications,
    guidance_sections,
)
from ncm_toolkit.clock import source_date
from ncm_toolkit.content import ContentPack, bundled_templates_dir
from ncm_toolkit.currency import (
    notes_finder,
    notes_for_option,
    option_changes,
    pack_notes_finder,
)
from ncm_toolkit.profile import Profile
from ncm_toolkit.ranking import _lower
from ncm_toolkit.readiness import QuestionState, assess, blocking_reasons
from ncm_toolkit.readiness_schemas import Readiness
from ncm_toolkit.render.fragments import FRAGMENTS, Fragments
from ncm_toolkit.render.html import radar_svg
from ncm_toolkit.render.sandbox import SafeFolderLoader, limits_from_env, render_bounded
from ncm_toolkit.render.template_cache import PrivateBytecodeCache
from ncm_toolkit.render.terminal import describe_change, ranked_by
from ncm_toolkit.safe_text import html_bytes, html_text, page_text, term
from ncm_toolkit.schemas import OptionModel
from ncm_toolkit.scoring import METHOD_VERSION, OptionScore, Result, shown

if TYPE_CHECKING:
    from ncm_toolkit.compare import Comparison

Format = Literal["md", "html"]
TEMPLATES: dict[str, str] = {"md": "report.md.j2", "html": "report.html.j2"}
MAX_OUTPUT_CHARS = 20_000_000
"""A user template that renders more than this is stopped: it bounds a runaway loop."""


_EDITING_NOTE = re.compile(r"\s*\((?:figure )?as printed[^)]*\)", re.IGNORECASE)
"""An editing note of the pack ("figure as printed in the source"): not for a board."""


def report_date() -> str:
    """The day SOURCE_DATE_EPOCH pins (UTC), so that reports are reproducible; else now, in
    local time with its zone shown (a board reads the date and time of its own zone)."""
    pinned = source_date()
    if pinned is not None:
        return pinned.strftime("%Y-%m-%d")
    return dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()


@dataclass
class ReportInput:
    profile: Profile
    result: Result
    path: str
    readiness: Readiness | None = None
    """A readiness record (`ncm report --readiness`): the paper then shows its summary."""
    readiness_path: str = ""


MAX_ACTIONS = 10
"""Next actions the paper lists (the rest: `ncm readiness show`), so the section stays a page."""


@dataclass(frozen=True, slots=True)
class BlockingGroup:
    """The blocking questions for one option the board may choose (one group unless tied)."""

    option_title: str
    form_title: str
    questions: list[Any]
    """readiness.QuestionState: id, area, text, status, owner, due, reasons."""


def readiness_view(pack: ContentPack, item: ReportInput, board: dict[str, Any]) -> dict[str, Any]:
    """The paper's readiness section: with a record, readiness per area, the blocking
    questions still open and the next actions; without one, the questions that block the
    chosen option and form (`data/readiness/blocking.yaml`). When the first rank is shared and
    no decision is saved, one group per first-ranked option: they depend on the board's choice."""
    record = item.readiness
    kinds = [str(p.kind) for p in item.profile.partners]
    plans = [p for p in board["plans"] if p is not None]
    area_titles = {a.id: a.title for a in pack.considerations.areas}
    groups: list[BlockingGroup] = []
    base = None
    if record is not None:
        base = assess(pack, record, item.readiness_path, None, kinds)
    for plan in plans:
        if record is not None:
            blocking = assess(pack, record, item.readiness_path, plan, kinds).blocking
        else:  # no record: every blocking question is still to consider
            blocking = _unconsidered(pack, blocking_reasons(pack, plan, set(kinds)))
        groups.append(BlockingGroup(plan.option_title, plan.form_title, blocking))
    tied = board["tied"] and item.profile.decision is None
    # the paper's next actions: open questions someone owns or has dated (the blocking ones
    # without an owner are listed above them)
    actions = [a for a in base.actions if a.owner or a.due] if base is not None else []
    radar = None
    if base is not None:
        from markupsafe import Markup

        radar = Markup(radar_svg([base], size=380))
    return {
        "record": record,
        "path": item.readiness_path,
        "result": base,
        "radar": radar,
        "groups": groups,
        "tied": tied,
        "area_titles": area_titles,
        "actions": actions[:MAX_ACTIONS],
        "more_actions": max(0, len(actions) - MAX_ACTIONS),
        "open_blocking": sum(len(g.questions) for g in groups),
    }


def _unconsidered(pack: ContentPack, reasons: dict[str, list[str]]) -> list[Any]:
    """The questions REASONS names, in the pack's order, as a record with no answer shows
    them (`readiness.assess` of an empty record): not yet considered, no owner, no date."""
    return [
        QuestionState(qid, area, text, "not_considered", None, None, tuple(reasons[qid]))
        for qid, area, text in _module2(pack)
        if qid in reasons
    ]


def _module2(pack: ContentPack) -> list[tuple[str, str, str]]:
    """Module 2's questions in the pack's order, (id, area, text on one line): made once per
    pack (kept in its derived data), not once per plan of every paper."""
    made: list[tuple[str, str, str]] | None = pack.derived.get("module2_questions")
    if made is None:
        made = pack.derived["module2_questions"] = [
            (q.id, a.id, " ".join(q.text.split()))
            for a in pack.considerations.areas
            for q in a.questions
        ]
    return made


def legal_view(pack: ContentPack, formality: str | None) -> dict[str, Any]:
    """The legal models that match the formality the partners accept, with the trade-offs of
    less formal (informal, contractual) or more formal (corporate, merger) models."""
    legal = pack.legal
    forms = [f for f in legal.legal_forms if formality is None or f.formality == formality]
    trade_offs = (
        legal.less_formal
        if formality in ("informal", "contractual")
        else legal.more_formal
        if formality
        else None
    )
    return {"stated_formality": formality, "legal_forms": forms, "trade_offs": trade_offs}


@dataclass(slots=True)
class TopOption:
    """One of the top options as the report shows it. (Objects rather than dicts: a template's
    `t.score` finds an attribute at once, where on a dict Jinja tries, and fails, getattr
    first; a report makes hundreds of such lookups.)"""

    score: OptionScore
    option: OptionModel
    cases: list[Any]

    @property
    def rated(self) -> list[Any]:
        """The parts of the score from the objectives the partnership rated (Appendix C's
        rows; filtered here, where the template's `selectattr` cost more than the rows)."""
        return [c for c in self.score.contributions if c.importance]


@dataclass(frozen=True, slots=True)
class ObjectiveRow:
    id: str
    title: str
    group: str
    importance: int


@dataclass(frozen=True, slots=True)
class PackInfo:
    name: str
    version: str
    digest: str


Part = Literal["all", "paper", "appendix"]
"""What one file holds: the paper and its appendices, the paper alone, or the appendices."""


def build_context(
    pack: ContentPack, item: ReportInput, top: int = 3, part: Part = "all"
) -> dict[str, Any]:
    """Everything a template may show, as plain data: templates hold no logic of their own."""
    profile, result = item.profile, item.result
    board = board_view(pack, profile, result)
    formality = profile.governance.formality if profile.governance else None
    kept = shown(result.ranking, top)  # every option tied at the cut is kept
    decided = board["decided"]
    if decided is not None and decided not in kept:
        # the option the board is asked to confirm has its guidance and its score's parts in
        # the appendices, whatever its rank
        kept = [*kept, decided]
    top_options = [
        TopOption(r, pack.options[r.option], sorted(pack.cases_for(r.option), key=lambda c: c.id))
        for r in kept
    ]
    legal = legal_view(pack, formality)
    objectives = [
        ObjectiveRow(o.id, o.title, o.group, profile.objectives.get(o.id, 0))
        for o in pack.manifest.objectives
    ]
    readiness = readiness_view(pack, item, board)
    return {
        "ncm_version": __version__,
        "method_version": METHOD_VERSION,
        "pack": PackInfo(pack.manifest.name, pack.version, pack.digest),
        "documents": pack.manifest.documents,
        "date": report_date(),
        "profile_path": item.path,
        "profile": profile,
        "partner_kinds": pack.manifest.partner_kinds,
        "formality": pack.manifest.formality,
        "objectives": objectives,
        # the keys of the objective rows the paper prints (`fragment_rows("objective_row", ...)`)
        "objective_keys": [(o.id, o.importance) for o in objectives if o.importance],
        "result": result,
        "ranking": result.ranking,
        "top": top_options,
        "collaborative_models": pack.legal.collaborative_models,
        "guidance_sections": guidance_sections,
        "legal_forms": legal["legal_forms"],
        "trade_offs": legal["trade_offs"],
        "stated_formality": formality,
        "areas": pack.considerations.areas,
        "objective_title": pack.objective_title,
        "guidance_written": pack.manifest.written,
        "currency_reviewed": pack.currency.reviewed,
        "currency": _currency(pack),
        # the notes on an option as a whole (a successor contract, a national roll-out): what
        # a board in 2026 must know of an option the 2015-2017 guidance describes
        "option_currency": functools.partial(notes_for_option, pack.currency),
        "cover_changes": _cover_changes(pack, board),
        "unchecked": _unchecked(pack, item.profile),
        "samples": f"{pack.scoring.acceptability.samples:,}",  # "First" is a share of these
        "board": board,
        "part": part,
        "fresh": Deduper(
            set(board["seen"]) if part == "all" else set(),
            pack.derived.setdefault("report_keys", {}),
        ),
        "decision": profile.decision,
        "option_titles": {k: o.title for k, o in pack.options.items()},
        "form_titles": {f.id: f.title for f in pack.legal.legal_forms}
        | {c.id: c.title for c in pack.legal.collaborative_models},
        "readiness": readiness,
        "implications": cover_implications(pack, profile, board, readiness),
    }


def environment(templates: Path | None = None) -> Any:
    """One environment for every report: autoescape on for any HTML template whatever its
    extension, every value a Markdown template prints made inert (`markdown_env`), undefined
    names are errors, and user templates run sandboxed, read only from regular files inside
    their folder (`SafeFolderLoader`). The bundled templates, compiled, are kept in the private
    cache folder and read back only when their HMAC proves this user wrote them
    (`template_cache`); user templates are compiled in memory, in the child that renders them.

    The bundled templates' environment is made once per process (`_bundled_environment`): it
    holds compiled templates and filters, nothing of a pack or a profile. User templates get a
    new one each time (they render sandboxed, in a child process)."""
    if templates is None:
        return _bundled_environment(str(bundled_templates_dir()))
    return _make_environment(templates)


@functools.lru_cache(maxsize=2)
def _bundled_environment(folder: str) -> Any:
    """The bundled templates' environment, by their folder: compiling the templates takes
    longer than rendering a report, and an API user or a test renders many."""
    return _make_environment(None)


def _make_environment(templates: Path | None) -> Any:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(bundled_templates_dir()))]
    if templates is not None:
        loaders.insert(0, SafeFolderLoader(templates))
    cls = SandboxedEnvironment if templates is not None else jinja2.Environment
    cache = None
    if templates is None:  # ours only: a user template is compiled where it renders, sandboxed
        cache = PrivateBytecodeCache()
    env = cls(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=cache,
        autoescape=lambda name: bool(name and ".htm" in name),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a run never sees its templates change: no stat per report
    )
    env.filters["squash"] = lambda s: " ".join(str(s).split())
    env.filters["md"] = md_escape
    env.filters["code"] = md_code
    env.filters["htmltext"] = md_html_text
    env.filters["pct"] = lambda v: MdSafe(f"{v + 0:.1f}")  # + 0: never print "-0.0"
    env.filters["signed"] = lambda v: MdSafe(f"{v + 0:+.2f}")
    env.filters["lowerfirst"] = _lower
    env.filters["capfirst"] = lambda s: str(s)[:1].upper() + str(s)[1:]
    env.filters["whole"] = lambda v: MdSafe(str(round(v + 0)))
    env.filters["clean"] = _clean
    env.ncm_templates = templates  # type: ignore[attr-defined]  # render() renders these in a bounded child process
    return env


def preload(env: Any, fmt: Format, summary: bool = False) -> None:
    """Compile the templates a batch needs before worker processes fork, so that each worker
    does not compile them again (the Markdown one too when it makes the job summary)."""
    env.get_template(FRAGMENTS)
    for one in {fmt, *(["md"] if summary else [])}:
        env_for(env, one).get_template(TEMPLATES[one])


def markdown_env(env: Any) -> Any:
    """The environment Markdown templates render in: ENV (its loader, filters, sandbox) with
    every printed value escaped by `md_escape` unless a filter already made it safe. The root
    of the Markdown escaping: no text from a profile or a content pack is printed raw for want
    of `|md`. (An overlay, so that HTML templates, which autoescape, pay nothing for it.)"""
    made = env.__dict__.get("_ncm_markdown")
    if made is None:
        made = env.__dict__["_ncm_markdown"] = env.overlay(finalize=_md_finalize)
    return made


def env_for(env: Any, fmt: str) -> Any:
    return markdown_env(env) if fmt == "md" else env


class MdSafe(str):
    """Text already made inert for Markdown (by `md`, `code`, `htmltext`, or a number): a
    Markdown template prints it as it is."""

    __slots__ = ()


_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>#+!|~$&]")
_MD_LEADING = re.compile(r"^( ?)(?:([-=])|(\d+)\.(?=\s|$))")
_SPACES = re.compile(r"\s+")
ZWJ = "\u200d"
_AUTOLINK = re.compile(r"(?i)(?<=www)(?=\.)|(?<=:)(?=//)|(?<=@)")
"""Where a zero-width joiner (ZWJ) goes so that nothing is autolinked: `www\u200d.`,
`scheme:\u200d//`, `@\u200d`. GitHub's autolinker still links `a@b.org` when the `@` or the
dots are backslash-escaped or written as entities (text nodes are joined again); a joiner in
the text itself also stops any autolinker that runs on text after Markdown, and mentions."""


def _unlink(text: str) -> str:
    return _AUTOLINK.sub(ZWJ, text)


def md_escape(text: object) -> MdSafe:
    """Text from a file (a profile, a content pack, a path) made inert in GitHub Markdown, on
    one line: every character with a meaning (emphasis, links, images, HTML and comments,
    entities, tables, math) is backslash-escaped, as is a list or heading marker at the
    start, and nothing becomes an autolink (`_AUTOLINK`)."""
    if isinstance(text, MdSafe):
        return text
    one_line = term(_SPACES.sub(" ", str(text)))  # spaces at the ends kept: `{{ " " }}` is one;
    # controls (a YAML escape such as "\e") shown as escapes, as on a terminal
    escaped = _MD_SPECIAL.sub(r"\\\g<0>", one_line)
    escaped = _MD_LEADING.sub(lambda m: m[1] + ("\\" + m[2] if m[2] else m[3] + "\\."), escaped)
    return MdSafe(_unlink(escaped))


def md_code(text: object) -> MdSafe:
    """Text from a file as a Markdown code span, on one line: nothing inside a code span is
    Markdown, HTML or an autolink. The fence is one backtick longer than any run inside."""
    one_line = term(" ".join(str(text).split()))
    if not one_line:
        return MdSafe("")
    longest = max((len(run) for run in re.findall(r"`+", one_line)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if one_line.startswith("`") or one_line.endswith("`") else ""
    return MdSafe(f"{fence}{pad}{one_line}{pad}{fence}")


def md_html_text(text: object) -> MdSafe:
    """Text from a file inside a raw HTML block of a Markdown template (`<summary>`), where
    Markdown escapes do not apply: HTML-escaped, on one line, nothing autolinked."""
    from markupsafe import escape

    return MdSafe(_unlink(str(escape(term(" ".join(str(text).split()))))))


def _md_finalize(value: Any) -> Any:
    return value if isinstance(value, MdSafe) else md_escape(value)


def _unchecked(pack: ContentPack, profile: Profile) -> list[str]:
    """The titles of the options whose requirements on the partners (the pack's gates) could
    not be checked because no partner is listed: a gate on the partners holds only for a
    known partnership, so with none listed such an option may be ranked, even first, on
    objectives alone, and the cover says so."""
    if profile.partners:
        return []
    ids = {o for g in pack.scoring.gates if g.when.partners is not None for o in g.options}
    return [o.title for oid, o in pack.options.items() if oid in ids]


def _cover_changes(pack: ContentPack, board: dict[str, Any]) -> list[tuple[str, str]]:
    """(option title, the titles of its currency notes) for each option the cover asks the
    board about (those first, and the decision's): the paper's first page says what has
    changed since the guidance for the options it puts to the board, not only an appendix."""
    asked = [*board["first"]]
    if board["decided"] is not None and board["decided"] not in asked:
        asked.append(board["decided"])
    changes = [(r.title, option_changes(pack.currency, r.option)) for r in asked]
    return [(title, titles) for title, titles in changes if titles]


def _currency(pack: ContentPack) -> Any:
    """`currency(text)`: the dated notes that qualify one statement of the guidance, looked up
    once per pack and statement (a report asks about a few hundred, the same in every report)."""
    find = pack_notes_finder(pack)
    return lambda text: find(str(text))


def _fragments(env: Any, pack: ContentPack) -> Fragments:
    """The paper's parts made of the pack's text alone (`fragments.Fragments`): rendered once
    per environment and pack, then reused for every report of the run."""
    if getattr(env, "ncm_templates", None) is None:
        # the bundled templates' (one per process): the fragments live and die with the pack
        made: Fragments | None = pack.derived.get("report_fragments")
        if made is None:
            made = pack.derived["report_fragments"] = Fragments(env, pack)
        return made
    per_pack: dict[str, Fragments] = env.__dict__.setdefault("_ncm_fragments", {})
    made = per_pack.get(pack.digest)
    if made is None:
        made = per_pack[pack.digest] = Fragments(env, pack)
    return made


MAX_PIECES = 20_000
"""Texts whose HTML list item `HtmlPieces` keeps (a pack's bullets are far fewer)."""


Bullet = tuple[str | None, str, list[Any]]
"""A bullet as the HTML paper prints it: its key (`board.bullet_key`), `  <li>TEXT` (the item
not yet closed), and the currency notes that qualify it."""


class HtmlPieces:
    """The guidance's bullets and currency notes as the HTML paper prints them, each made
    once per content pack: a bullet's key, list item (cleaned of editing notes, escaped) and
    notes, an option's sections of bullets, a case study's lines, a note's paragraph. Kept in
    the pack's derived data, so they live and die with the pack; `HtmlBullets` puts them
    together for one paper."""

    def __init__(self, pack: ContentPack) -> None:
        self.find = notes_finder(pack.currency)
        self.currency = pack.currency
        self.bullets: dict[str, Bullet] = {}
        self.options: dict[str, list[tuple[str, list[Bullet]]]] = {}
        self.cases: dict[str, list[tuple[str | None, str]]] = {}
        self.paragraphs: dict[str, str] = {}
        self.keys: dict[str, frozenset[str]] = {}
        self.heads: dict[tuple[str | None, ...], str] = {}

    @classmethod
    def of(cls, pack: ContentPack) -> HtmlPieces:
        made: HtmlPieces | None = pack.derived.get("html_pieces")
        if made is None:
            made = pack.derived["html_pieces"] = cls(pack)
        return made

    def bullet(self, text: str) -> Bullet:
        made = self.bullets.get(text)
        if made is None:
            from markupsafe import escape

            if len(self.bullets) > MAX_PIECES:
                self.bullets.clear()
            item = f"  <li>{escape(_clean(text))}"
            made = self.bullets[text] = (bullet_key(text), item, self.find(str(text)))
        return made

    def sections(self, option: OptionModel) -> list[tuple[str, list[Bullet]]]:
        """The option's guidance, section by section (title, bullets)."""
        made = self.options.get(option.id)
        if made is None:
            made = self.options[option.id] = [
                (title, [self.bullet(i.text) for i in items])
                for title, items in guidance_sections(option)
            ]
        return made

    def keys_of(self, option: OptionModel, cases: list[Any]) -> frozenset[str]:
        """Every key Appendix A's block of OPTION may show or leave out: its bullets', the
        notes on them and on the option, its case studies' lines (`Fragments.option_guidance`
        keys the block by those the paper has seen)."""
        made = self.keys.get(option.id)
        if made is None:
            on_option = notes_for_option(self.currency, option.id)
            keys: set[str | None] = {bullet_key(n.text) for n in on_option}
            for _title, bullets in self.sections(option):
                for key, _item, found in bullets:
                    keys.add(key)
                    keys.update(bullet_key(n.text) for n in found)
            for case in cases:
                keys.update(key for key, _line in self.case_lines(case))
            made = self.keys[option.id] = frozenset(k for k in keys if k is not None)
        return made

    def case_lines(self, case: Any) -> list[tuple[str | None, str]]:
        """A case study's lessons (else outcomes): (key, the line cleaned of editing notes)."""
        made = self.cases.get(case.id)
        if made is None:
            lines = case.lessons or case.outcomes
            made = self.cases[case.id] = [(bullet_key(i.text), _clean(i.text)) for i in lines]
        return made

    def head(self, kind: str, *texts: str | None) -> str:
        """A list item of the paper's KIND (`_HEADS`), escaped, up to its currency notes:
        the item's TEXTS (a requirement, a workforce topic and its first action, a Module 2
        question and its area) are the pack's, so it is made once per pack."""
        key = (kind, *texts)
        made = self.heads.get(key)
        if made is None:
            from markupsafe import escape

            if len(self.heads) > MAX_PIECES:
                self.heads.clear()
            how = _HEADS[kind]
            made = self.heads[key] = how[0].format(
                *(
                    escape(_squash(t) if squash else t)
                    for t, squash in zip(texts, how[1:], strict=True)
                )
            )
        return made

    def paragraph(self, note: Any) -> str:
        """A currency note as a paragraph under the statement it qualifies."""
        made = self.paragraphs.get(note.id)
        if made is None:
            from markupsafe import escape

            src = note.source
            made = self.paragraphs[note.id] = (
                f'    <p class="currency"><em>Since then (as of {escape(note.as_of)}):</em> '
                f'{escape(_squash(note.text))} <span class="currency__source">[source: '
                f"{escape(_squash(src.publisher))}, {escape(_squash(src.title))}, "
                f'{escape(src.date)}, <span class="mono">{escape(src.url[8:])}</span>]</span></p>\n'
            )
        return made


_HEADS: dict[str, tuple[Any, ...]] = {
    # kind: (the item up to its notes, then whether each text is squashed onto one line)
    "requires": ("    <li>Requires: {}", True),
    "likely": ("    <li><strong>{} (likely).</strong> {}", False, True),
    "likely_first": ("    <li><strong>{} (likely).</strong> {} First: {}", False, True, True),
    "question": (
        '    <li><span class="box" aria-hidden="true"></span>{} <span class="hint small">'
        "({}, <code>{}</code>)</span>",
        False,
        False,
        False,
    ),
}
"""The HTML paper's list items made of the pack's text (`HtmlPieces.head`), as the template
printed them one by one (autoescaped; `squash`ed where it said so)."""


@dataclass(frozen=True, slots=True)
class HtmlBullets:
    """`guidance(option)`, `cases(cases)`, `items(bullets)` and `notes(text)` for one HTML
    paper: the pack's pieces, each bullet and note printed once in the paper (`fresh`, the
    paper's filter of repeats, whose `seen` keys they share)."""

    pieces: HtmlPieces
    fresh: Any

    def notes(self, text: str) -> Any:
        """The paragraphs of the notes that qualify TEXT, those not yet in the paper."""
        from markupsafe import Markup

        found = self.pieces.bullet(text)[2]
        return Markup("".join(self.pieces.paragraph(n) for n in self.fresh(found)))

    def option_notes(self, option: OptionModel) -> Any:
        """The paragraphs of the notes on OPTION as a whole, those not yet in the paper."""
        from markupsafe import Markup

        found = notes_for_option(self.pieces.currency, option.id)
        return Markup("".join(self.pieces.paragraph(n) for n in self.fresh(found)))

    def items(self, items: list[Any]) -> Any:
        """The bullets as a list, each with its notes not yet in the paper (ITEMS: already
        filtered by `fresh`)."""
        return self._list([self.pieces.bullet(i.text) for i in items])

    def guidance(self, option: OptionModel) -> list[tuple[str, Any]]:
        """The option's guidance, section by section: (title, its bullets as a list), each
        bullet not yet in the paper; a section with none left is left out."""
        out = []
        for title, bullets in self.pieces.sections(option):
            kept = self._unseen(bullets)
            if kept:
                out.append((title, self._list(kept)))
        return out

    def cases(self, cases: list[Any]) -> list[tuple[Any, str]]:
        """Each case study with its first lesson (else outcome) not yet in the paper, or ""."""
        out = []
        for case in cases:
            kept = self._unseen(self.pieces.case_lines(case))
            out.append((case, kept[0][1] if kept else ""))
        return out

    def requirement_items(self, requires: list[Any]) -> Any:
        """The form's requirements, each with its notes not yet in the paper."""
        head = self.pieces.head
        return self._items([(head("requires", i.text), i.text) for i in requires])

    def likely_items(self, implications: list[Any]) -> Any:
        """The likely workforce topics, each with its first action and that action's notes
        not yet in the paper ("" when none is likely)."""
        head = self.pieces.head
        rows: list[tuple[str, str | None]] = []
        for i in implications:
            if i.level != "likely":
                continue
            if i.actions:
                first = i.actions[0].text
                rows.append((head("likely_first", i.title, i.reason, first), first))
            else:
                rows.append((head("likely", i.title, i.reason), None))
        return self._items(rows)

    def checklist_items(self, questions: list[Any], area_titles: dict[str, str]) -> Any:
        """Appendix B's questions, each with its area and its notes not yet in the paper."""
        head = self.pieces.head
        return self._items(
            [(head("question", q.text, area_titles[q.area], q.id), q.text) for q in questions]
        )

    def _items(self, rows: list[tuple[str, str | None]]) -> Any:
        """List items: each head, the notes of its text not yet in the paper, `</li>`."""
        from markupsafe import Markup

        out = []
        for head, text in rows:
            out.append(head)
            if text is not None:
                out.append(self.notes(text))
            out.append("</li>\n")
        return Markup("".join(out))

    def _unseen(self, pieces: list[Any]) -> list[Any]:
        seen = self.fresh.seen
        out = []
        for piece in pieces:
            key = piece[0]
            if key is not None and key not in seen:
                seen.add(key)
                out.append(piece)
        return out

    def _list(self, bullets: list[Bullet]) -> Any:
        from markupsafe import Markup

        out = ['<ul class="list">\n']
        for _key, item, found in bullets:
            out.append(item)
            if found:
                out.extend(self.pieces.paragraph(n) for n in self.fresh(found))
            out.append("</li>\n")
        out.append("</ul>")
        return Markup("".join(out))


def _clean(text: object) -> str:
    """Text on one line without the pack's editing notes (the `clean` filter)."""
    return _EDITING_NOTE.sub("", " ".join(str(text).split()))


def _squash(text: object) -> str:
    return " ".join(str(text).split())


def render(
    pack: ContentPack,
    item: ReportInput,
    fmt: Format,
    templates: Path | None = None,
    env: Any = None,
    part: Part = "all",
) -> str:
    """A report as text. Our own templates render here; user templates (an environment made
    with `templates`) render in a child process bounded in time and memory."""
    env = env or environment(templates)
    user = getattr(env, "ncm_templates", None)
    if user is not None:
        job = functools.partial(_render_user, pack, item, fmt, user, part)
        return render_bounded(job, user, TEMPLATES[fmt], limits_from_env())
    return render_here(pack, item, fmt, env, part)


def _render_user(
    pack: ContentPack, item: ReportInput, fmt: Format, templates: Path, part: Part
) -> str:
    """What the bounded child process renders: the user templates, sandboxed, metered."""
    return render_here(pack, item, fmt, environment(templates), part)


def render_bytes(
    pack: ContentPack, item: ReportInput, fmt: Format, env: Any, part: Part = "all"
) -> bytes:
    """`render`'s report as the UTF-8 bytes of its file. An HTML paper of our own templates is
    encoded once, by its scan for controls (`safe_text.html_bytes`), not once more to be
    written."""
    if fmt == "html" and getattr(env, "ncm_templates", None) is None:
        return html_bytes(_ended(_made(pack, item, fmt, env, part)))
    return render(pack, item, fmt, env=env, part=part).encode("utf-8")


def render_here(
    pack: ContentPack, item: ReportInput, fmt: Format, env: Any, part: Part = "all"
) -> str:
    """Render in this process; a sandboxed template's output is metered as it is made."""
    return _finished(_made(pack, item, fmt, env, part), fmt)


def _made(pack: ContentPack, item: ReportInput, fmt: Format, env: Any, part: Part) -> str:
    """The template's output, before `_finished`."""
    from jinja2.sandbox import SandboxedEnvironment

    template = env_for(env, fmt).get_template(TEMPLATES[fmt])
    context = build_context(pack, item, part=part)
    fragments = _fragments(env, pack)
    context["fragment"] = fragments
    context["fragment_rows"] = fragments.rows
    if fmt == "html":
        paper = HtmlBullets(HtmlPieces.of(pack), context["fresh"])
        context.update(
            option_guidance=functools.partial(fragments.option_guidance, paper),
            items=paper.items,
            notes=paper.notes,
            guidance=paper.guidance,
            cases=paper.cases,
            option_notes=paper.option_notes,
            requirement_items=paper.requirement_items,
            likely_items=paper.likely_items,
            checklist_items=paper.checklist_items,
        )
    if not isinstance(env, SandboxedEnvironment):  # our own templates: no need to meter them
        return str(template.render(**context))
    chunks = []
    size = 0
    for chunk in template.generate(**context):
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise ValueError(
                f"the report exceeds {MAX_OUTPUT_CHARS} characters; is a template looping?"
            )
        chunks.append(chunk)
    return "".join(chunks)


def _finished(text: str, fmt: str) -> str:
    """The text ending in a newline, with no raw control, whatever a user template wrote:
    HTML as character references (`safe_text.html_text`), Markdown as escapes (`page_text`)."""
    text = _ended(text)
    return html_text(text) if fmt == "html" else page_text(text)


def _ended(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def render_comparison(pack: ContentPack, cmp: Comparison, fmt: str) -> str:
    """The comparison as a Markdown or HTML report, through the reports' Jinja environment."""
    import functools

    import jinja2

    env = env_for(environment(), fmt)  # Markdown: every printed value escaped
    try:
        env.get_template("report.css")
        has_css = True
    except jinja2.TemplateNotFound:
        has_css = False
    text: str = env.get_template(f"compare.{fmt}.j2").render(
        ncm_version=__version__,
        pack={"name": pack.manifest.name, "version": pack.version, "digest": pack.digest},
        date=report_date(),
        cmp=cmp,
        held=cmp.held(),
        verdicts=cmp.verdicts(),
        notes=cmp.notes + cmp.combined.notes,
        describe=functools.partial(describe_change, pack),
        ranked_by=functools.partial(ranked_by, cmp),
        has_css=has_css,
    )
    return _finished(text, fmt)
