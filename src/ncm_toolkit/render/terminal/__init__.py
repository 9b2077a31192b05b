"""Rich terminal output, a module per responsibility: `common` (what every screen shares:
`esc`, `hang`, currency notes, sourced lists), `screens` (the content pack's reference
screens), `score`, `compare`, `plan` and `readiness` (each command's tables). Everything from
a file passes through `esc` (or `safe_text.markup`). The public names are re-exported here,
so callers import from `ncm_toolkit.render.terminal`; no module imports rich at import time,
only the functions that draw."""

from __future__ import annotations

from ncm_toolkit.render.terminal.common import (
    NARROW,
    Notes,
    because,
    dated,
    esc,
    form_title,
    hang,
    item_list,
    num,
    pct,
    source_text,
    sources_key,
    who,
)
from ncm_toolkit.render.terminal.compare import (
    VERDICT_STYLE,
    compare_table,
    describe_change,
    ranked_by,
)
from ncm_toolkit.render.terminal.plan import LEVEL_STYLE, plan_table
from ncm_toolkit.render.terminal.readiness import readiness_compare_lines, readiness_table
from ncm_toolkit.render.terminal.score import (
    SUMMARY_COLUMNS,
    SummaryRow,
    decision_line,
    objective_values,
    score_summary,
    score_tables,
    since_the_guidance,
    summary_row,
)
from ncm_toolkit.render.terminal.screens import (
    background_screen,
    case_screen,
    cases_screen,
    models_screen,
    option_screen,
    questions_screen,
)

__all__ = [
    "LEVEL_STYLE",
    "NARROW",
    "SUMMARY_COLUMNS",
    "VERDICT_STYLE",
    "Notes",
    "SummaryRow",
    "background_screen",
    "because",
    "case_screen",
    "cases_screen",
    "compare_table",
    "dated",
    "decision_line",
    "describe_change",
    "esc",
    "form_title",
    "hang",
    "item_list",
    "models_screen",
    "num",
    "objective_values",
    "option_screen",
    "pct",
    "plan_table",
    "questions_screen",
    "ranked_by",
    "readiness_compare_lines",
    "readiness_table",
    "score_summary",
    "score_tables",
    "since_the_guidance",
    "source_text",
    "sources_key",
    "summary_row",
    "who",
]
