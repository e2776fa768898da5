"""The market domain's queries, one module per record: the candles and their gaps, the
contract universe, the funding settlements and what was checked, the data's sources."""
