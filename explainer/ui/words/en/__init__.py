"""English words, one module per tab."""
