"""The bundled content pack is complete, sourced and valid; broken copies fail where broken."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ncm_toolkit.content import load_pack
from ncm_toolkit.errors import NcmError
from ncm_toolkit.schemas import TOOLKIT_DOCUMENT
from ncm_toolkit.vocabulary import OBJECTIVE_IDS, OPTION_IDS

from .conftest import write


def test_bundled_pack_validates(ncm):
    result = ncm("validate")
    assert result.exit_code == 0, result.stderr
    assert re.match(r"ok: \d+ files valid", result.stdout)


def test_bundled_pack_is_complete():
    pack = load_pack()
    assert list(pack.options) == list(OPTION_IDS)
    assert [o.number for o in pack.options.values()] == list(range(1, 11))
    assert len(pack.considerations.areas) == 12
    assert len(pack.cases) >= 25
    for opt in pack.options.values():
        assert set(opt.alignments) == set(OBJECTIVE_IDS)
        assert any(a.strength == 3 for a in opt.alignments.values()), opt.id
    covered = {c.option for c in pack.cases.values()}
    # The source has no case study for a hospital chain ("to follow").
    assert covered >= set(OPTION_IDS) - {"hospital_chain"}
    topics = {t.id for t in pack.background.topics}
    assert {
        "tupe",
        "terms_and_conditions",
        "secondments_and_joint_posts",
        "pensions",
        "professional_regulation",
        "pay_harmonisation",
    } <= topics
    kinds = {f.formality for f in pack.legal.legal_forms}
    assert {"contractual", "corporate", "merger"} <= kinds
    assert {c.id for c in pack.legal.collaborative_models} >= {"buddying", "informal_partnership"}


def test_every_source_names_a_manifest_document():
    pack = load_pack()
    docs = {d.id for d in pack.manifest.documents} | {TOOLKIT_DOCUMENT}
    text = "\n".join(
        line
        for p in pack.files.values()
        for line in p.read_text().splitlines()
        if not line.lstrip().startswith("#")  # comments are prose, not citations
    )
    used = set(re.findall(r"document: ([a-z0-9_]+)", text))
    assert used and used <= docs


def _break(pack: Path, rel: str, old: str, new: str) -> Path:
    path = pack / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1))
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if needle in ln)


@pytest.mark.parametrize(
    ("rel", "old", "new", "needle", "message"),
    [
        (
            "models/mcp.yaml",
            "\nkey_features:",
            "\nkey_featurs:",
            "key_featurs:",
            "unknown key (hint: did you mean 'key_features'?)",
        ),
        (
            "case_studies/dudley_mcp.yaml",
            "option: mcp",
            "option: mpc",
            "option: mpc",
            "unknown value 'mpc'",
        ),
        (
            "models/pacs.yaml",
            "number: 7",
            'number: "7"',
            "number:",
            "expected a whole number, got text '7'",
        ),
        ("scoring.yaml", "penalty_per_step: 8", "penalty_per_step: [8", "penalty_per_step", ""),
    ],
)
def test_broken_copies_fail_at_the_right_place(ncm, pack_copy, rel, old, new, needle, message):
    path = _break(pack_copy, rel, old, new)
    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1
    line = _line_of(path, needle)
    located = [
        ln for ln in result.stderr.splitlines() if ln.startswith(f"{path}:") or f"{rel}:" in ln
    ]
    assert located, result.stderr
    # A YAML syntax error is reported where the parser notices it: at or after the break.
    assert any(int(ln.split(":")[1]) >= line for ln in located), result.stderr
    assert any(message in ln for ln in located), result.stderr


def test_missing_alignment_is_named(ncm, pack_copy):
    path = pack_copy / "models" / "gp_federation.yaml"
    lines = path.read_text().splitlines(keepends=True)
    start = next(i for i, ln in enumerate(lines) if ln.startswith("  leveraging_technology:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    path.write_text("".join(lines[:start] + lines[end:]))
    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1
    assert "no alignment for objective 'leveraging_technology'" in result.stderr
    assert "gp_federation.yaml:" in result.stderr


def test_all_errors_of_all_files_in_one_run(ncm, pack_copy):
    _break(pack_copy, "models/mcp.yaml", "\nkey_features:", "\nkey_featurs:")
    _break(pack_copy, "case_studies/dudley_mcp.yaml", "option: mcp", "option: nope")
    result = ncm("validate", str(pack_copy), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    files = {e["file"] for e in report["errors"]}
    assert any(f.endswith("mcp.yaml") for f in files)
    assert any(f.endswith("dudley_mcp.yaml") for f in files)
    assert all({"file", "line", "column", "message"} <= set(e) for e in report["errors"])


def test_duplicate_case_id_and_unknown_document(ncm, pack_copy):
    src = (pack_copy / "case_studies" / "dudley_mcp.yaml").read_text()
    write(pack_copy / "case_studies" / "zz_copy.yaml", src)
    other = src.replace("id: dudley_mcp", "id: dudley_again").replace(
        "document: case_studies", "document: case_studie", 1
    )
    write(pack_copy / "case_studies" / "zz_other.yaml", other)
    result = ncm("validate", str(pack_copy))
    assert result.exit_code == 1
    assert "duplicate id 'dudley_mcp'" in result.stderr
    assert (
        "unknown source document 'case_studie' (hint: did you mean 'case_studies'?)"
        in result.stderr
    )


def test_other_commands_refuse_a_broken_pack(ncm, pack_copy):
    _break(pack_copy, "models/mcp.yaml", "\nkey_features:", "\nkey_featurs:")
    result = ncm("models", "--content", str(pack_copy))
    assert result.exit_code == 1
    assert "mcp.yaml" in result.stderr


def test_pack_cache_is_used_and_invalidated_by_any_change(pack_copy, monkeypatch, tmp_path):
    cache = tmp_path / "cache"
    monkeypatch.setenv("NCM_CACHE_DIR", str(cache))
    first = load_pack(pack_copy)
    assert len(list(cache.glob("pack-*.pickle"))) == 1
    again = load_pack(pack_copy)
    assert again.digest == first.digest and again.options.keys() == first.options.keys()
    path = pack_copy / "models" / "mcp.yaml"
    path.write_text(path.read_text().replace("\nkey_features:", "\nkey_featurs:", 1))
    with pytest.raises(NcmError):
        load_pack(pack_copy)
    monkeypatch.setenv("NCM_CACHE_DIR", "off")
    with pytest.raises(NcmError):
        load_pack(pack_copy)
