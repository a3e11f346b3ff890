"""Data at the edges: the MNIST reader, the bundled sample, pixels, pictures people bring, synthetic junk."""
