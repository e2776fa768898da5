"""The decision policy: the rules that decide live and in replay, as pure functions (standard
library and numpy only; no database, network, ORM or logging)."""
