"""Words of the page around the tabs: title, introduction, tab names, footer (Russian twin: ru/app.py)."""

TITLE = "Generative CV, hands on"
INTRO = """# Generative CV, hands on
Small, live PyTorch models trained on MNIST handwritten digits. Every picture below is computed on this machine as you click."""
LANGUAGE_HINT = "Русский язык: Settings (at the bottom of the page) → Language."
FOOTER = ("Running on **{device}** · PyTorch {torch} · Gradio {gradio} · "
          "models load from `pretrained/`, nothing from the internet.")

# Tab names, by the English label that `all_tabs()` lists (it doubles as the tab's id).
TAB_GAN = "GAN"
TAB_AUTOENCODER = "Autoencoder vs VAE"
TAB_FORWARD = "Diffusion: forward"
TAB_REVERSE = "Diffusion: reverse"
TAB_FLOW = "Flow matching"
TAB_COMPARE = "Compare all"
PRESENTATION = "Presentation mode"
TAB_TOUR = "Tour"
TAB_LAB = "2-D lab"
