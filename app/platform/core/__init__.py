"""What every layer may use: settings, logging, API-key primitives, the error tree, prices on
the tick and the calendar's units."""
