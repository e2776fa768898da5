"""Pure signal evaluation: agents vote from scores and market facts, a consensus decides,
and measured outcomes weigh the agents."""
