"""Pure portfolio maths: numpy in, numbers out; no I/O, ORM, pydantic or logging."""
