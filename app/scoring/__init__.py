"""Pure scoring core: numpy arrays in, numbers out; no I/O, ORM, pydantic or logging."""

from app.scoring import learned  # noqa: F401  (registers the shipped plug-in)
