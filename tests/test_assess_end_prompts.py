"""The end prompts of `ncm assess` after a resume, driven by the scripted asker: a saved decision
is every end prompt's default, and an interrupt after the profile is saved keeps it. (This was
the second half of a terminal test; the keys themselves are tested in a terminal in
test_assess.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from ncm_toolkit.cli.assess_end import finish
from ncm_toolkit.content import load_pack
from ncm_toolkit.interview import Interview, dump_profile
from ncm_toolkit.plan import plan_profile
from ncm_toolkit.profile import Profile
from ncm_toolkit.scoring import score_profile

from .conftest import EXAMPLES
from .test_interview_engine import Script


@pytest.fixture(scope="module")
def pack() -> Any:
    return load_pack()


def load(path: Path) -> dict[str, Any]:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_resume_offers_the_saved_decision_and_an_interrupt_after_saving_keeps_it(
    pack: Any, tmp_path: Path
) -> None:
    data = load(EXAMPLES / "south_borough_integration.yaml")
    ranking = score_profile(pack, Profile.model_validate(data)).ranking
    # the second-ranked option and a form that is not its recommended one: a resume that
    # forgot the decision would offer the first option and the recommended form instead
    option = ranking[1].option
    assert ranking[0].rank == 1 and ranking[1].rank > 1, "the test needs a sole first option"
    plan = plan_profile(pack, Profile.model_validate({**data, "schema_version": 2}), option)
    form = next(f.form for f in plan.forms if f.form != plan.form)
    data["schema_version"] = 2
    data["decision"] = {
        "option": option,
        "form": form,
        "agreed_by": "joint programme board",
        "agreed_on": "2024-05-01",
    }
    path = tmp_path / "a.yaml"
    path.write_text(dump_profile(data, "review"), encoding="utf-8")
    text = path.read_text(encoding="utf-8")

    s = Script(
        ("REVIEW", "score"),
        ("option will the partnership pursue", option),
        ("organisational form do the partners agree", form),
        ("Who agreed this", "joint programme board"),
        ("Save the profile as", str(path)),
        ("Write a report", KeyboardInterrupt),
    )
    iv = Interview.resumed(pack, s, load(path), text, path)
    final = iv.run()
    with pytest.raises(KeyboardInterrupt):
        finish(pack, final, interactive=True, saved=path, asker=s)
    assert not s.steps
    assert s.defaults["Which option will the partnership pursue?"] == option
    assert s.defaults["Which organisational form do the partners agree?"] == form
    assert [v for k, v in s.defaults.items() if k.startswith("Who agreed this")] == [
        "joint programme board"
    ]
    assert s.defaults["Save the profile as:"] == str(path)
    iv.save()  # as `ncm assess` does on Ctrl-C or Ctrl-D
    saved = load(path)
    assert saved["schema_version"] == 2
    assert saved["decision"]["option"] == option and saved["decision"]["form"] == form
    assert saved["decision"]["agreed_by"] == "joint programme board"
