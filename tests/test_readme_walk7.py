"""A seventh walk through the README as a new user (an NHS analyst at an 80x24 terminal), in a
fresh virtual environment outside the checkout: set-up, the first assessment, `ncm assess` in
tmux and with `--answers`, every command example, the errors of a first typo. Each test is a
finding of that walk, run through the real code on real files (in-process)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES

# -- the partner-kind list found nothing for `council` and chose "Acute hospital trust" -----


def _choose_kind(keys: str, monkeypatch: Any) -> tuple[str, str]:
    """The interview's partner-kind list in a terminal (prompt_toolkit on a pipe), `keys`
    typed into it: the kind chosen, and the list as its control draws it."""
    import questionary
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.formatted_text import to_formatted_text
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput
    from questionary.prompts.common import InquirerControl
    from rich.console import Console

    from ncm_toolkit.cli.assess_asker import TerminalAsker
    from ncm_toolkit.content import load_pack
    from ncm_toolkit.schemas import Choice

    made: list[Any] = []
    select = questionary.select

    def keep(**kw: Any) -> Any:
        made.append(select(**kw))
        return made[-1]

    monkeypatch.setattr(questionary, "select", keep)
    pack = load_pack()
    question = next(
        q for s in pack.quick_guide.steps for q in s.questions if q.choices_from == "partner_kinds"
    )
    kinds = [Choice(value=k, title=t) for k, t in pack.manifest.partner_kinds.items()]
    with create_pipe_input() as keyboard, create_app_session(input=keyboard, output=DummyOutput()):
        keyboard.send_text(keys)
        kind = TerminalAsker(Console(file=io.StringIO(), width=80)).select(question, kinds, None)
    control: Any = next(
        c for c in made[0].application.layout.find_all_controls() if isinstance(c, InquirerControl)
    )
    listed = "".join(piece[1] for piece in to_formatted_text(control.text()))
    return kind, listed


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("council\r", "local_authority"),  # the README's own example of an analyst's word
        ("pcn\r", "gp_federation"),
        ("care\r", "care_home"),  # what starts with it first, not "Local authority (social care"
        ("zzz\r\x7f\x7f\x7fcare h\r", "care_home"),  # Enter on no match chooses nothing
    ],
)
def test_type_to_filter_finds_a_partner_kind_by_the_word_an_analyst_types(
    typed: str, kind: str, monkeypatch
) -> None:
    """README: "type to filter on long ones, such as the 13 partner kinds". The filter read
    titles only: `council` matched nothing, the whole list came back with its first choice
    pointed at, and Enter saved the council as an "Acute hospital trust" without a word. It
    now finds a kind by its title, its id or the words of data/words.yaml, says when nothing
    matches, and Enter then does nothing until the filter is changed."""
    from ncm_toolkit.content import load_pack

    chosen, listed = _choose_kind(typed, monkeypatch)
    assert chosen == kind
    titles = {str(k): t for k, t in load_pack().manifest.partner_kinds.items()}
    assert titles[kind] in listed  # the list is drawn, filtered


# -- a wrong id was refused without the closest one ------------------------------------------


@pytest.mark.parametrize(
    ("args", "guess"),
    [
        (("plan", str(EXAMPLES / "north_practices.yaml"), "--option", "acoico"), "aco_ico"),
        (("plan", str(EXAMPLES / "north_practices.yaml"), "--form", "Alliance"), "alliance"),
        (("models", "show", "PACS"), "pacs"),
        (("cases", "show", "whitstable"), "whitstable_medical_practice"),
    ],
)
def test_a_wrong_id_is_refused_with_the_closest_one(ncm, args: tuple[str, ...], guess: str):
    """README: "a wrong id is refused with the closest one and the whole list". `ncm plan
    --option acoico` listed the ids without a guess (plan did not use the shared refusal), and
    `ncm models show PACS` found none (the comparison minded case); a part of one id
    (`whitstable`) found none either."""
    result = ncm(*args)
    assert result.exit_code == 2
    assert f"(did you mean '{guess}'?); known: " in result.stderr


def test_a_wrong_readiness_area_is_refused_with_the_closest_one(ncm, tmp_path: Path) -> None:
    record = tmp_path / "dof.yaml"
    made = ncm(
        "readiness", "init", str(EXAMPLES / "north_practices.yaml"), "-o", str(record),
        "--role", "Director of Finance", "--organisation", "North Council",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    result = ncm("readiness", "ask", str(record), "--area", "work_force")
    assert result.exit_code == 2
    assert "unknown area 'work_force' (did you mean 'workforce'?); known: " in result.stderr


# -- a closed option in CSV and the workbook -------------------------------------------------


def test_csv_and_workbook_say_which_options_are_closed(ncm, tmp_path: Path) -> None:
    """README: `[closed: ...]` marks an option whose stated requirement the partners do not
    meet, ranked after every open option whatever its score. The table says so; CSV and the
    workbook's Ranking sheet did not, so a spreadsheet showed rank 6 at 41.85 under rank 5 at
    18.93 with nothing to say why (and sorting by score undid the ranking). Both now carry a
    `closed` column (appended last in CSV), the requirement's title, empty when open."""
    import openpyxl

    profile = EXAMPLES / "north_practices.yaml"  # no NHS trust among its partners
    result = ncm("score", str(profile), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert list(rows[0])[-2:] == ["method_version", "closed"]
    closed = {r["option"]: r["closed"] for r in rows}
    assert closed["multi_site_trust"] == "No NHS trust among the partners"
    assert closed["gp_federation"] == ""

    book = tmp_path / "scores.xlsx"
    assert ncm("score", str(profile), "-o", str(book)).exit_code == 0
    sheet = openpyxl.load_workbook(book)["Ranking"]
    head, *body = ([c.value for c in row] for row in sheet.iter_rows())
    assert head[-1] == "closed"
    by_option = {row[head.index("option")]: row[-1] for row in body}
    assert by_option["multi_site_trust"] == "No NHS trust among the partners"
    assert by_option["gp_federation"] in ("", None)


# -- `ncm compare` of readiness records was cut mid-word at the terminal's edge ---------------


def test_readiness_comparison_wraps_at_words_on_screen(ncm, tmp_path: Path, monkeypatch) -> None:
    """README's Readiness example `ncm compare ready/dof-jan.yaml ready/dof-apr.yaml
    ready/ceo.yaml` printed lines longer than the terminal, which cut them where they met its
    edge ("North Locali" / "ty PCN"); every other screen wraps at words. It now wraps each
    line to the width, its continuation indented; into a file (`-o`) it writes lines whole."""
    profile = EXAMPLES / "north_practices.yaml"
    for name, role, organisation in [
        ("dof", "Director of Finance", "North Council"),
        ("ceo", "Chief Executive", "North Locality Primary Care Network"),
    ]:
        made = ncm(
            "readiness", "init", str(profile), "-o", str(tmp_path / f"{name}.yaml"),
            "--role", role, "--organisation", organisation,
        )  # fmt: skip
        assert made.exit_code == 0, made.stderr
    dof = tmp_path / "dof.yaml"
    dof.write_text(
        dof.read_text(encoding="utf-8").replace(
            "form_01:\n    status: not_considered", "form_01:\n    status: settled", 1
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("COLUMNS", "60")
    shown = ncm("compare", str(dof), str(tmp_path / "ceo.yaml"))
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert any("form_01" in line for line in lines)
    assert max(len(line) for line in lines) <= 60, lines
    words = " ".join(shown.stdout.split())
    assert "North Locality Primary Care Network: not_considered" in words  # no word cut


# -- the answer echoed after a list's question was cut mid-word at the edge ------------------


def test_a_chosen_answer_is_echoed_wrapped_at_words(monkeypatch) -> None:
    """README: "Questions, hints, choices and answers wrap at word boundaries, never mid-word
    at the edge". At 80 columns, choosing a partner at the review echoed `? Choose an answer
    to change it, or:   1. North Locality PCN (GP federation or n` / `etwork)`: questionary
    puts the chosen title after the question and the terminal broke it at its edge. The echo
    is now wrapped at words, its continuation indented as a question's is."""
    import questionary
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput
    from questionary.prompts.common import InquirerControl
    from rich.console import Console

    from ncm_toolkit.cli.assess_asker import TerminalAsker
    from ncm_toolkit.content import load_pack
    from ncm_toolkit.schemas import Choice

    made: list[Any] = []
    select = questionary.select

    def keep(**kw: Any) -> Any:
        made.append(select(**kw))
        return made[-1]

    monkeypatch.setattr(questionary, "select", keep)
    monkeypatch.setenv("COLUMNS", "80")
    pack = load_pack()
    question = next(
        q for s in pack.quick_guide.steps for q in s.questions if q.choices_from == "partner_kinds"
    ).model_copy(update={"prompt": "Who leads the work?"})  # the key hint fits after it
    long = "A federation of general practices or a primary care network of the borough"
    choices = [Choice(value="fed", title=long), Choice(value="other", title="Other")]
    with create_pipe_input() as keyboard, create_app_session(input=keyboard, output=DummyOutput()):
        keyboard.send_text("\r")
        asker = TerminalAsker(Console(file=io.StringIO(), width=80))
        assert asker.select(question, choices, None) == "fed"
    control = next(
        c for c in made[0].application.layout.find_all_controls() if isinstance(c, InquirerControl)
    )
    echoed = f"? {question.prompt} {control.get_pointed_at().title}"  # questionary's echo
    lines = echoed.split("\n")
    assert len(lines) > 1 and all(len(line) <= 79 for line in lines), lines
    assert " ".join(echoed.split()) == f"? {question.prompt} {long}"  # every word whole


def test_readiness_ask_says_how_to_go_on_on_a_line_of_its_own(ncm, tmp_path: Path) -> None:
    """`ncm readiness ask` stopped with one line, `stopped: the answers so far are saved in
    ready/dof.yaml; continue with: ncm readiness ask ready/dof.yaml`, 96 columns: an
    80-column terminal cut the command to copy mid-word ("ncm read" / "iness ask"). The
    command to go on is now a line of its own, as `ncm assess` gives it."""
    record = tmp_path / "dof.yaml"
    made = ncm(
        "readiness", "init", str(EXAMPLES / "north_practices.yaml"), "-o", str(record),
        "--role", "Director of Finance", "--organisation", "North Council",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    stopped = ncm("readiness", "ask", str(record), input="save and stop\n")
    assert stopped.exit_code == 0, stopped.stderr
    lines = stopped.stderr.splitlines()
    assert any(
        line.endswith(f"stopped: the answers so far are saved in {record}") for line in lines
    )
    assert f"continue with: ncm readiness ask {record}" in lines


# -- a required field left out said nothing of what it must hold -----------------------------


def test_a_missing_name_says_what_it_must_hold(ncm, tmp_path: Path) -> None:
    """README: "the message says what the field must hold in plain words, from the schema".
    A profile without `name` got `name: required field is missing` and nothing more (a kind
    or `objectives` left out got their values); it now says `(hint: text, the partnership's
    name)`, from the profile model's own description."""
    profile = tmp_path / "north.yaml"
    profile.write_text("objectives:\n  integrating_primary_care: 4\n", encoding="utf-8")
    result = ncm("validate", str(profile))
    assert result.exit_code == 1
    assert (
        f"{profile}:1:1: name: required field is missing (hint: text, the partnership's name)"
        in result.stderr.splitlines()
    )
