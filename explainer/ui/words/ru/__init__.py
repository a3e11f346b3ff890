"""Russian words, one module per tab (the same names as en/)."""
