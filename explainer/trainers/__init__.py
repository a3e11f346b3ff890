"""Training recipes, one module per model family, driven by `python -m explainer.train NAME`."""
