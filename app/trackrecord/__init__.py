"""The live track record: the service's decisions and the baselines, marked hour by hour."""
