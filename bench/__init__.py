"""Benchmark of the analysis package: synthetic corpora (bench.generate) and timings of
`python -m analysis extract` / `report` on them (`python -m bench`, `make bench`)."""
