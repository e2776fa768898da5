"""Statistics, pure: numpy arrays in, numbers out; no I/O, ORM, pydantic or logging. The one home
of ranks and rank correlation, information coefficients, Newey-West (HAC) errors, selection
skill, random-book nulls, performance figures and sorted distinct values (`distinct`, where
`np.unique` would import numpy.ma); it imports no other package of `app` but `core` (its units),
so every other one may import it."""
