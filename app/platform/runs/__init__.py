"""Background runs: the one engine every kind of run shares (`engine`)."""
