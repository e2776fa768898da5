"""Queries of the live records, flushes, never commits, one module per record: each record's one
row, moved by compare-and-set (one_row); the as-run record's (as_run); the forward record's
(forward); where each stands, read at scrape time (gauges)."""
