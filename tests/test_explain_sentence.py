"""The one-sentence explanation (`ranking.explain`, the interview's result screen) shows
arithmetic that gives its points: it said "importance 5 × strength 3, +27.3", and 5 × 3 is
15. It now gives the value the strength yields (README "How scoring works"), as
`ncm score --explain` does."""

from __future__ import annotations

import re

from ncm_toolkit import load_pack, load_profile, score_profile
from ncm_toolkit.ranking import explain

from .conftest import EXAMPLES

PART = re.compile(r"\(importance (\d) × value (\d+\.\d\d), from strength (\d): ([+-]\d+\.\d)\)")


def test_each_part_of_the_sentence_multiplies_out_to_its_points() -> None:
    pack = load_pack()
    profile, errors = load_profile(EXAMPLES / "south_borough_integration.yaml")
    assert profile is not None, errors
    result = score_profile(pack, profile)
    found = 0
    for r in result.ranking:
        sentence = explain(pack, r)
        assert not re.search(r"strength \d", PART.sub("", sentence)), sentence  # all new form
        for m in PART.finditer(sentence):
            importance, value, points = int(m[1]), float(m[2]), float(m[4])
            assert abs(importance * value - points) <= 0.05 + 0.005 * importance, sentence
            found += 1
    assert found >= 10


def test_compare_drivers_do_not_read_as_a_product(ncm) -> None:
    """`ncm compare` listed a disagreement's drivers as "importances 4, 0, 5 x strength 3": a
    list times a number. The terminal now says "importances 4, 0, 5, strength 3", as the
    Markdown and HTML comparisons do."""
    result = ncm("compare", *(str(p) for p in sorted(EXAMPLES.glob("*.yaml"))))
    assert result.exit_code == 0, result.stderr
    drivers = [line for line in result.stdout.splitlines() if "importances" in line]
    assert any(re.search(r"importances [\d, ]+, strength \d", line) for line in drivers), drivers
    assert not any(" x strength" in line for line in drivers), drivers
