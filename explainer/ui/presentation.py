"""Presentation mode for a projector: large type, fewer controls. Pure browser-side (a class on <body>), so it
costs the server nothing and survives in the URL (`?present=1`) for a slide to link to.

Anything a tab marks with `elem_classes="advanced"` (formulas, rarely used settings, link boxes) is hidden
in presentation mode; everything else grows.
"""
from __future__ import annotations

CSS = """
/* Presentation mode: body.present. Gradio sizes text through these theme variables. */
body.present, body.present .gradio-container {
  --text-xxs: 13px; --text-xs: 15px; --text-sm: 18px; --text-md: 22px; --text-lg: 26px; --text-xl: 32px;
  --text-xxl: 40px; --prose-text-size: 22px; --block-label-text-size: 18px; --block-info-text-size: 17px;
  --block-title-text-size: 20px; --section-header-text-size: 22px; --button-large-text-size: 22px;
  --button-small-text-size: 18px; --input-text-size: 20px; --checkbox-label-text-size: 18px;
}
body.present .prose { font-size: 22px; line-height: 1.5; }
body.present .advanced, body.present #device-footer, body.present footer { display: none !important; }
body.present .gradio-container { max-width: 100% !important; }
/* The toggle shows its state: pressed-looking, with a tick, while the mode is on. */
body.present #present-toggle { background: var(--button-primary-background-fill); color: var(--button-primary-text-color); }
body.present #present-toggle::before { content: "✓ "; }
"""

# Runs once when the page loads (launch(js=...)): `?present=1` switches the mode on.
PAGE_JS = """
() => {
  const q = new URLSearchParams(window.location.search);
  if (q.get('present') === '1') document.body.classList.add('present');
  const mark = () => {
    const b = document.querySelector('#present-toggle');
    if (b) b.setAttribute('aria-pressed', document.body.classList.contains('present') ? 'true' : 'false');
    else setTimeout(mark, 200);
  };
  mark();
}
"""

# The header button: flip the mode and keep the address bar in step, so copying it keeps the mode.
TOGGLE_JS = """
() => {
  const on = document.body.classList.toggle('present');
  const url = new URL(window.location.href);
  if (on) url.searchParams.set('present', '1'); else url.searchParams.delete('present');
  window.history.replaceState(null, '', url);
  const b = document.querySelector('#present-toggle');
  if (b) b.setAttribute('aria-pressed', on ? 'true' : 'false');
}
"""
