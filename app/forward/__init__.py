"""The forward record: shadow books of the policy, its challengers and the baselines, marked
hourly from deployment on."""
