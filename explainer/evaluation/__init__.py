"""Measuring generated pictures with the judge (judge-FID, recognizability, verdicts) and the models' cards."""
