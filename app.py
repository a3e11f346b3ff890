"""Generative CV explainer: `python app.py` serves the app on http://127.0.0.1:7860 (offline, from pretrained/)."""
from explainer.ui import build_demo, launch_options

demo = build_demo()

if __name__ == "__main__":
    demo.launch(**launch_options())
