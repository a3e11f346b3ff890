"""Page-wide CSS for the places the app is used beyond a laptop: a phone, and Gradio's dark theme.

Phone: Gradio already stacks a row's columns when they no longer fit their `min_width`; what is left is the
header (the presentation-mode button is a projector tool and would squeeze the title, and the "copy a link" row
is a tool for slides), the page margins, and the picture before the controls.

Dark theme (`?__theme=dark` or the browser's preference): plotly figures are built for a light page (template
`plotly_white`, black marker lines), which leaves bright white boxes with dark ink on a dark page. Rather than
drawing every figure twice, the dark theme re-inks them: transparent backgrounds, light text, faint grid,
and black lines turned light. Plotly writes inline styles, hence `!important`. Hover labels keep their own
colours (plotly picks a readable ink for each).
"""
from __future__ import annotations

INK_DARK = "#e5e7eb"  # Gradio's dark-theme body text

CSS = f"""
@media (max-width: 640px) {{
  #present-toggle {{ display: none !important; }}
  #app-header h1 {{ font-size: 1.5em; }}
  .gradio-container {{ padding-left: 8px !important; padding-right: 8px !important; }}
  .demo-picture {{ order: -1; }}  /* on a phone the demo's picture comes before its controls */
  /* Links are made for slides, on a laptop: on a phone the link row only pushed the picture down (120 px) */
  .link-row {{ display: none !important; }}
  /* A composed figure (digits with their captions drawn in) keeps its own size and scrolls sideways inside its
     box: shrunk to a phone's width an 8-column grid had 37 px digits and captions no one could read */
  .figure .image-container {{ overflow-x: auto; }}
  .figure .image-container button {{ justify-content: flex-start !important; }}  /* centred, its left part was out of reach */
  .figure img {{ max-width: none !important; }}
}}
.dark .js-plotly-plot .main-svg {{ background: transparent !important; }}
.dark .js-plotly-plot .bglayer .bg, .dark .js-plotly-plot .legend .bg {{ fill: transparent !important; }}
.dark .js-plotly-plot .main-svg text:not(.hoverlayer *) {{ fill: {INK_DARK} !important; }}
.dark .js-plotly-plot .gridlayer path, .dark .js-plotly-plot .zerolinelayer path {{
  stroke: rgba(229, 231, 235, 0.18) !important;
}}
.dark .js-plotly-plot path[style*="stroke: rgb(0, 0, 0)"], .dark .js-plotly-plot path[style*="stroke: black"] {{
  stroke: {INK_DARK} !important;
}}
"""
