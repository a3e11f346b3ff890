"""The mathematics of generation, free of models, Gradio and plotly: noise schedules and the forward process,
DDPM/DDIM and flow samplers as generators, guidance, ODE steps, distortions."""
