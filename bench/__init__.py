"""Benchmarks (run as modules, e.g. ``python -m bench.discord_load``)."""
