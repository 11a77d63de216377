"""Benchmark harness: `python -m bench [--quick] [--only NAME] ...` (see bench/__main__.py).

Six figures, each beside a baseline measured in the same run: step cost,
HTTP throughput, scale, timers, audit verification and storage. Results go
to bench/results/<UTC timestamp>.json and bench/results/latest.json.
"""
