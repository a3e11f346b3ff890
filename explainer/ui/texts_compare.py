"""Words of the compare tab."""

INTRO = """
### Every family, one request
The same request goes to every model in the app: a digit (or none) and a seed. Each answers with pictures,
and the table puts numbers on the trade-offs the article describes: a GAN and a VAE draw in **one** network
pass but cannot be told *what* to draw (asked for a digit, they can only be filtered: draw, let the judge
look, keep the matches); diffusion is steered by the prompt but pays with **many** passes; DDIM cuts the
passes by skipping steps, and flow matching cuts them further because its roads from noise to picture are
nearly straight. Judge-FID (lower is better) comes from each model's card, measured offline on thousands
of samples; the times are measured now, on this machine.
"""

FAMILY_NOTES = {
    "GAN": "one pass, sharp; no prompt, may drop modes, unstable to train",
    "VAE": "one pass, smooth latent space; blurry (MSE), no prompt",
    "DDPM": "prompt + guidance, high quality; 1000 passes (2 with guidance)",
    "DDIM": "same network as DDPM, deterministic, 20x fewer passes",
    "Flow": "straight paths: good pictures in ~10 Euler steps",
}


def table(entries, label) -> str:
    asked = f"read as {label}" if label is not None else "read as a digit"
    rows = [f"| model | pictures {asked} | generated | network evaluations per picture | time | judge-FID (card) | in short |",
            "|---|---|---|---|---|---|---|"]
    for e in entries:
        rows.append(f"| **{e.name}** | {e.hits} / {len(e.images)} | {e.draws} | {e.nfe} | {e.ms / 1000:.2f} s | {e.fid} | "
                    f"{FAMILY_NOTES[e.family]} |")
    return "\n".join(rows)
