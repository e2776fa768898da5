"""The books' simulation core, pure: point-in-time history, the scorer's inputs and the scores as
known at a decision, the live policy as a strategy, the baselines, the ICs and the selection
skill, each strategy's figures and the replay report's shape; the replay (`app.lab.replay`) and
the forward record (`app.records.keeping`) step it alike."""
