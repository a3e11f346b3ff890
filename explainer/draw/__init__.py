"""Pictures and plots for people: image grids and GIFs, plotly figures, forward-process frames, fonts.
They take plain numbers and know nothing of models or Gradio."""
