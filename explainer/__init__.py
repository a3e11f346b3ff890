"""Generative computer vision explainer: small live PyTorch models on MNIST behind a Gradio app.

Conventions used everywhere in this package:
- Pixels are floats in [-1, 1] inside models and uint8 0..255 at the edges (files, UI); 28x28 grayscale.
- Diffusion and flow networks share one signature `model(x, t, y)`: `t` a float in [0, 1]
  (DDPM index k of T maps to k/T), `y` an int class 0..9 with 10 as the null class.
- Time runs from data (t=0) to noise (t=1).
- Randomness always flows from an explicit `torch.Generator` seeded from the user's seed.
- Weights are safetensors plus a json card; nothing is ever unpickled.
"""
