"""A commented starter profile, written from the content pack's own Quick Guide and vocabulary,
so a first assessment needs no YAML written from memory (`ncm init`)."""

from __future__ import annotations

from pathlib import Path

from ncm_toolkit.content import ContentPack, bundled_examples_dir
from ncm_toolkit.profile import load_profile
from ncm_toolkit.ranking import _lower
from ncm_toolkit.safe_text import term

SCHEMA_FILE = "profile.schema.json"


def _comment(text: str) -> str:
    """Pack text as one comment line: a newline in a hostile pack cannot start a YAML line
    (whitespace runs become one space; any other control is shown as `safe_text` shows it)."""
    return term(" ".join(text.split()))


def starter_profile(pack: ContentPack, name: str = "Our partnership") -> str:
    """The starter's text. It validates as written: a name and one objective rated above 0 (an
    example to change); every other section is explained and commented out, so it takes no
    part in the scoring until it is answered."""
    m = pack.manifest
    questions = {q.id: q for q in pack.quick_guide.questions}
    steps = {s.id: s for s in pack.quick_guide.steps}
    out = [
        f"# yaml-language-server: $schema={SCHEMA_FILE}",
        "# A partnership profile for ncm: the Quick Guide's answers, one file per partnership.",
        "# Edit it, then:  ncm validate FILE && ncm score FILE --explain && ncm report FILE",
        "# A section left out (or commented out) takes no part in the scoring.",
        "schema_version: 2  # 2 adds the optional structure, respondent, as_of and decision",
        "",
        f"# {_comment(questions['name'].prompt) if 'name' in questions else 'Name'}",
        f"name: {yaml_text(name)}",
        "# description: One sentence: the population, the place, what prompted the work.",
        "",
        "# The partner organisations; kind is one of:",
    ]
    out += [f"#   * {kind}: {_comment(title)}" for kind, title in m.partner_kinds.items()]
    out += [
        "# partners:",
        "#   - name: Example Hospitals NHS Foundation Trust",
        "#     kind: acute_trust",
        "",
    ]
    if "level_of_integration" in steps:
        out.append(f"# {_comment(steps['level_of_integration'].title)}")
    out.append("# Importance of each objective, 0-5 (0 = not an objective; 5 = essential).")
    out.append("# The first is rated 3 only as an example: rate each one for your partnership.")
    out.append("objectives:")
    for i, o in enumerate(m.objectives):
        out.append(f"  {o.id}: {3 if i == 0 else 0}  # {_comment(o.title)} ({o.group})")
    for step in pack.quick_guide.steps:
        if step.number < 2:
            continue
        out += ["", f"# {_comment(step.title)}"]
        sections: dict[str, list[str]] = {}
        for q in step.questions:
            if not q.field or q.type == "note":
                continue
            head, _, leaf = q.field.partition(".")
            lines = sections.setdefault(head, [])
            answer = _example(pack, q.type, q.choices_from, [c.value for c in q.choices])
            # "#   # ...": uncommenting the block ("# " off each line, as an editor's
            # toggle-comment does) leaves the question a comment, never invalid YAML.
            prompt = q.prompt
            if q.type == "list":  # the interview's "leave empty to finish" means nothing here
                prompt = prompt.split("?")[0] + "? One line (- ...) per entry."
            lines.append(f"#   # {_comment(prompt)}")
            lines.append(f"#   {leaf}: {answer}" if leaf else f"#   - {answer}")
        for head, lines in sections.items():
            out.append(f"# {head}:")
            out += lines
    return "\n".join(out) + "\n"


def _example(pack: ContentPack, qtype: str, choices_from: str | None, choices: list[str]) -> str:
    if qtype == "confirm" or (qtype == "select" and {"true", "false"} <= set(choices)):
        return "true   # true or false"
    if qtype == "select":
        ids = list(pack.manifest.formality) if choices_from == "formality" else choices
        ids = [i for i in ids if i != "not_known"]  # the interview's skip: leave the line out
        return f"{ids[0]}   # one of: {', '.join(ids)}" if ids else "..."
    return "free text"


def yaml_text(text: str) -> str:
    """A name as a double-quoted YAML scalar (a JSON string is one)."""
    import json

    return json.dumps(_comment(text), ensure_ascii=False)


def example_names() -> list[str]:
    """The example profiles shipped with ncm, by name."""
    return sorted(p.stem for p in bundled_examples_dir().glob("*.yaml"))


def example_description(pack: ContentPack, name: str) -> str:
    """One line saying what a bundled example is, for `ncm examples`: its partnership's name
    and the kinds of its partners (the pack's words, without their glosses in brackets)."""
    profile, _ = load_profile(bundled_examples_dir() / f"{name}.yaml")
    if profile is None:  # a bundled example is valid (tests check it); say nothing otherwise
        return ""
    counts: dict[str, int] = {}
    for partner in profile.partners:
        label = str(pack.manifest.partner_kinds.get(partner.kind, partner.kind))
        label = _lower(label.split(" (")[0])
        counts[label] = counts.get(label, 0) + 1
    kinds = ", ".join(k if n == 1 else f"{k} x{n}" for k, n in counts.items())
    return term(f"{profile.name}: {kinds}" if kinds else profile.name)


def example_text(name: str) -> str | None:
    path = bundled_examples_dir() / f"{name}.yaml"
    return path.read_text(encoding="utf-8") if name in example_names() else None


def schema_path_for(profile: Path) -> Path:
    return profile.parent / SCHEMA_FILE
