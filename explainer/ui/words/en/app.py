"""Words of the page around the tabs: title, introduction, tab names, footer (Russian twin: ru/app.py)."""

TITLE = "Generative CV, hands on"
INTRO = "**Generative CV, hands on**: live PyTorch models on MNIST digits, computed as you watch"
LANGUAGE_HINT = "Русский: Settings (page bottom) → Language"
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
