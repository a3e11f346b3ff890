"""What each tab does, without Gradio: one module per tab, the shared `runs` for streamed runs, and `lab/`."""
