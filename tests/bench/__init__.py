"""On-demand benchmarks (not collected by pytest; see README.md)."""
