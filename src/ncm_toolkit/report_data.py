"""The report's own data files (`data/report/`: the risk subjects' keywords, the board
paper's thresholds, `ncm compare`'s wording): reading them from the bundled data, and the check
`ncm validate` runs on a pack's copies. The board paper and compare both read them; neither
imports the other for them."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from string import Template
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from ncm_toolkit.content import bundled_content_dir
from ncm_toolkit.errors import Diagnostic
from ncm_toolkit.profile import QUESTIONS
from ncm_toolkit.read.loader import diagnostics_from


def keyword_body(keyword: str) -> tuple[str, int]:
    """A keyword as a pattern's body and flags: `*` is any ending; case-sensitive if it has
    capitals."""
    body = r"\s+".join(re.escape(w).replace(r"\*", r"\w*") for w in keyword.split())
    return body, 0 if any(c.isupper() for c in keyword) else re.IGNORECASE


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A keyword as a whole-word pattern (`keyword_body`)."""
    body, flags = keyword_body(keyword)
    return re.compile(rf"(?<!\w){body}(?!\w)", flags)


def read_yaml(name: str) -> Any:
    """A file of the bundled `data/report/`."""
    path = bundled_content_dir() / "report" / name
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


REPORT_FILES = ("report/subjects.yaml", "report/board.yaml")
"""The report's own data files: wording and matching, read from the bundled data."""


def check_report_files(root: Path) -> list[Diagnostic]:
    """Diagnostics for the report's data files present under a pack folder `root`: each must
    parse and have the fields the board paper reads (`subjects` with id, title and keywords;
    `certainty` with robust_at and fragile_below between 0 and 1)."""
    out: list[Diagnostic] = []
    for rel in REPORT_FILES:
        path = root / rel
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
            data = YAML(typ="safe").load(text)
            if rel.endswith("subjects.yaml"):
                for s in data["subjects"]:
                    _need(isinstance(s["id"], str) and isinstance(s["title"], str), "id, title")
                    _need(all(isinstance(k, str) for k in s["keywords"] or [None]), "keywords")
                    for k in s["keywords"]:
                        keyword_pattern(k)
            else:
                c = data["certainty"]
                _need(
                    0 <= float(c["fragile_below"]) <= float(c["robust_at"]) <= 1,
                    "0 <= fragile_below <= robust_at <= 1",
                )
                for key, model in _WORDINGS.items():
                    if key in data:
                        out += _check_wording(data[key], str(path), text, model, key)
        except MarkedYAMLError as exc:  # where the YAML breaks, not line 1
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            why = exc.problem or exc.context or "not valid YAML"
            out.append(Diagnostic(str(path), line, col, f"not a valid report data file: {why}"))
        except (KeyError, TypeError, IndexError, AttributeError):  # a Python message, not ours
            shape = _SHAPES["subjects" if rel.endswith("subjects.yaml") else "certainty"]
            out.append(Diagnostic(str(path), 1, 1, f"not a valid report data file: {shape}"))
        except Exception as exc:  # any other shape problem is the file's, reported, not raised
            out.append(Diagnostic(str(path), 1, 1, f"not a valid report data file: {exc}"))
    return out


_SHAPES = {
    "subjects": "expected a mapping with `subjects`, a list of {id, title, keywords}",
    "certainty": "expected a mapping with `certainty: {robust_at, fragile_below}`",
}


def _check_wording(
    data: Any, name: str, text: str, model: type[BaseModel], key: str
) -> list[Diagnostic]:
    """The problems of the wording under KEY, located and worded as every file's are."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return diagnostics_from(exc, model, name, text, data, prefix=(key,))
    return []


def _need(ok: bool, what: str) -> None:
    if not ok:
        raise ValueError(f"expected {what}")


class Sentences(BaseModel):
    """Wording in `data/report/board.yaml` whose text fields are `string.Template` sentences,
    each allowed only the placeholders PLACES lists for it (none if unlisted); fields named in
    NOT_SENTENCES are plain values."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built if read

    PLACES: ClassVar[dict[str, set[str]]] = {}
    NOT_SENTENCES: ClassVar[frozenset[str]] = frozenset()

    def _check_sentences(self) -> None:
        for name in type(self).model_fields:
            text = getattr(self, name)
            if not isinstance(text, str) or name in self.NOT_SENTENCES:
                continue
            t = Template(text)
            if not t.is_valid():
                raise ValueError(f"{name}: a $ not followed by a placeholder name")
            extra = set(t.get_identifiers()) - self.PLACES.get(name, set())
            if extra:
                raise ValueError(f"{name}: unknown placeholder ${sorted(extra)[0]}")

    def say(self, name: str, **values: object) -> str:
        """The sentence `name` with its placeholders filled (values are plain text)."""
        return Template(getattr(self, name)).substitute({k: str(v) for k, v in values.items()})


class CompareWording(Sentences):
    """`compare` in `data/report/board.yaml`: how `ncm compare` words its first section."""

    questions: dict[str, str]
    agree_first: str
    agree_first_tie: str
    no_agreed_first: str
    agree_answer: str
    agree_objectives: str
    split_first: str
    split_answer: str
    split_objective: str
    combined_first: str
    combined_tie: str
    nothing_split: str
    settle_answer: str
    settle_objective: str
    settle_first: str
    settle_tie: str
    nothing_to_settle: str
    same_respondent: str
    same_respondent_same_date: str

    PLACES: ClassVar[dict[str, set[str]]] = {
        "agree_first": {"count", "options"},
        "agree_first_tie": {"count", "options"},
        "agree_answer": {"question", "answer"},
        "agree_objectives": {"objectives"},
        "split_first": {"views"},
        "split_answer": {"question", "views"},
        "split_objective": {"objective", "views"},
        "combined_first": {"options"},
        "combined_tie": {"options"},
        "settle_answer": {"question"},
        "settle_objective": {"objective"},
        "settle_tie": {"options"},
        "same_respondent": {"profiles"},
        "same_respondent_same_date": {"profiles"},
    }

    @model_validator(mode="after")
    def _placeholders(self) -> CompareWording:
        if set(self.questions) != set(QUESTIONS):
            raise ValueError(f"questions must word exactly {', '.join(QUESTIONS)}")
        self._check_sentences()
        return self


@cache
def compare_wording() -> CompareWording:
    """The wording of `ncm compare`'s first section, validated."""
    return CompareWording.model_validate(read_yaml("board.yaml")["compare"])


IMPLICATION_HEADINGS = ("quality", "finance", "workforce", "legal", "equality", "involvement")
"""The implications an NHS board paper's cover carries, in the cover's order."""


class ImplicationsWording(Sentences):
    """`implications` in `data/report/board.yaml`: the board paper cover's "Implications" row,
    a heading and a sentence for each of IMPLICATION_HEADINGS."""

    headings: dict[str, str]
    finance_area: str
    quality: str
    finance: str
    finance_unlisted: str
    workforce: str
    workforce_one: str
    workforce_none: str
    legal: str
    no_plan: str
    equality: str
    involvement: str

    PLACES: ClassVar[dict[str, set[str]]] = {
        "finance": {"where", "option"},
        "finance_unlisted": {"area"},
        "workforce": {"option", "count", "level", "topics"},
        "workforce_one": {"option", "level", "topics"},
        "workforce_none": {"option"},
        "legal": {"option", "form"},
        "no_plan": {"option"},
    }
    NOT_SENTENCES: ClassVar[frozenset[str]] = frozenset({"finance_area"})

    @model_validator(mode="after")
    def _placeholders(self) -> ImplicationsWording:
        if list(self.headings) != list(IMPLICATION_HEADINGS):
            raise ValueError(f"headings must word, in order, {', '.join(IMPLICATION_HEADINGS)}")
        self._check_sentences()
        return self


@cache
def implications_wording() -> ImplicationsWording:
    """The wording of the board paper cover's "Implications" row, validated."""
    return ImplicationsWording.model_validate(read_yaml("board.yaml")["implications"])


_WORDINGS: dict[str, type[Sentences]] = {
    "compare": CompareWording,
    "implications": ImplicationsWording,
}
"""The sections of `board.yaml` that hold sentences, each checked by its model."""
