"""What reports work out once: the bundled templates' environment per process, the rest per
pack (issue 13: speed, with nothing keyed by object identity and nothing outliving its pack)."""

from __future__ import annotations

import pickle
from pathlib import Path

from ncm_toolkit import load_pack, load_profile, render_report
from ncm_toolkit.board import match_risks, subjects_of
from ncm_toolkit.render.report import environment

from .conftest import EXAMPLES


def _profile() -> object:
    profile, diags = load_profile(EXAMPLES / "north_practices.yaml")
    assert profile is not None, diags
    return profile


def test_bundled_environment_is_made_once_user_templates_each_time(tmp_path: Path) -> None:
    assert environment() is environment()
    (tmp_path / "report.html.j2").write_text("{{ profile.name }}\n", encoding="utf-8")
    user = environment(tmp_path)
    assert user is not environment(tmp_path) and user is not environment()
    assert user.ncm_templates == tmp_path and environment().ncm_templates is None


def test_derived_data_stays_with_its_pack_and_is_not_pickled() -> None:
    pack = load_pack()
    profile = _profile()
    first = render_report(pack, profile)
    assert {"report_fragments", "barrier_subjects", "currency_finder"} <= set(pack.derived)
    copy = pickle.loads(pickle.dumps(pack))
    assert copy.derived == {} and copy.digest == pack.digest
    assert render_report(copy, profile) == first
    assert "report_fragments" in copy.derived
    assert copy.derived["report_fragments"] is not pack.derived["report_fragments"]


def test_cached_barrier_subjects_match_a_fresh_match() -> None:
    pack = load_pack()
    risks = [
        "The acute trust is in deficit.",
        "The council fears cost shifting.",
        "Staff may resist new contracts; Monitor may object.",
    ]
    for option in pack.options.values():
        fresh = match_risks(risks, option)
        kept = match_risks(risks, option, pack, [subjects_of(r) for r in risks])
        again = match_risks(risks, option, pack)
        assert fresh == kept == again
