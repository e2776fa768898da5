"""Scoring use cases: runs against KuCoin, rankings and history, the editable algorithm."""
