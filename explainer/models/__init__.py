"""nn.Modules and their frozen dataclass configs, one file per model family.

Models know nothing of Gradio, plotting or training loops. Inputs and outputs are pixels in [-1, 1].
"""
