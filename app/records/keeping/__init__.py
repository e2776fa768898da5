"""The live records, pure: the as-run record (the real portfolio's book marked hour by hour) and
the forward record (the shadow books of the policy, its challengers and the baselines), their
books, state and figures; the registered challengers, the candidate family they come from and
the forward rule that judges them."""
