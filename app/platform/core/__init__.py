"""What every layer may use: the environment, logging, API-key primitives, the error tree, prices on
the tick and the calendar's units."""
