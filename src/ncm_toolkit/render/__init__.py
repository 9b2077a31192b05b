"""Every output format in one place, a module per format: `terminal` (Rich tables and screens),
`json`, `csv`, `markdown`, `html` (readiness pages and the radar), `report` (board papers in
Markdown and HTML through Jinja templates, `sandbox` for users' own templates), `docx`,
`xlsx`, and `reports` (writing a batch of board papers). Commands compute result objects;
these modules turn them into text or bytes and never score, plan or read a profile."""
