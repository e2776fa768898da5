"""Pure scoring core: numpy arrays in, numbers out; no I/O, ORM, pydantic or logging."""
