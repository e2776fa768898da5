"""Scoring's use cases still laid out by kind: the score refresh that acts on a run (the
portfolio's); the runs, rankings and history are the scoring domain's (`app/scoring`), the
editable algorithm and its what-ifs the lab's (`app/lab/algorithm_changes.py`)."""
