"""The generated parts of the docs: `python -m scripts.docgen` rewrites them, `--check` fails
when one is stale (tests/unit/test_docs_generated.py runs the same check)."""
