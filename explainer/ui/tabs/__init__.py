"""One Gradio tab per module; each exposes `build()` and its handlers."""
