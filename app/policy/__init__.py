"""Stage 1 of a scoring run (`shortlist`), pure: the rest of the decision policy is the
portfolio's (`app/portfolio/policy`)."""
