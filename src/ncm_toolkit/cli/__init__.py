"""The `ncm` command line, and nothing else: commands parse arguments, call the Python API
and hand its results to a renderer.

- `core.py`: the typer app, `COMMANDS` (every command in help order, with its one-line help),
  the options every command shares, error translation, and helpers (`pack_or_exit`,
  `fail_usage`, `write_err`, `console`, `infer_format`).
- one module per command: `ncm X` lives in `X.py` (`models.py`, `cases.py`, `questions.py`
  for browsing; `readiness.py` holds the `ncm readiness` sub-commands); importing it registers
  X on `app`.
- beside its command, what only that command uses: `assess_asker.py` (the interview's
  terminal prompts) and `assess_end.py` (its result screen and end prompts) for `ncm assess`,
  `readiness_asker.py` (a terminal's prompts, or one answer a line on stdin) for
  `ncm readiness ask`.
- `console.py`: the Rich console commands print through, and what every terminal prompt
  shares (keys, typed-text cleaning, layout).
- `main.py`: the entry point. Nothing imports `main` back, and core imports no command, so the
  package has no import cycle.

Only typer is imported at start-up: `ncm --help` lists `COMMANDS`, and `ncm X` imports `X.py`
alone, which imports what it needs inside its function; so `ncm --help` stays as quick as
typer itself. Lazy imports live here and nowhere else.
"""
