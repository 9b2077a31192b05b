"""Validate one content file against its schema (a stop-gap until `ncm validate` exists).

usage: python scripts/check_content_file.py KIND FILE...   (KIND: option, case-study, ...)
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from ruamel.yaml import YAML  # noqa: E402

from ncm_toolkit.schemas import CONTENT_SCHEMAS  # noqa: E402

kind, files = sys.argv[1], sys.argv[2:]
bad = 0
for f in files:
    try:
        CONTENT_SCHEMAS[kind].model_validate(YAML(typ="safe").load(Path(f).read_text()))
        print(f"{f}: ok")
    except Exception as e:  # noqa: BLE001
        bad += 1
        print(f"{f}: {e}")
sys.exit(1 if bad else 0)
