"""Words of the compare tab."""

LEAD = "Every family on one request: the same digit asked of each model, with what the judge accepts, how many network passes it took and how long."
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

NOTE_GAN = "one pass, sharp; no prompt, may drop modes, unstable to train"
NOTE_VAE = "one pass, smooth latent space; blurry (MSE), no prompt"
NOTE_DDPM = "prompt + guidance, high quality; 1000 passes (2 with guidance)"
NOTE_DDIM = "same network as DDPM, deterministic, 20x fewer passes"
NOTE_FLOW = "straight paths: good pictures in ~10 Euler steps"
NOTE_REFLOW = "the flow straightened by reflow: 2 Euler steps, one pass each"
NOTE_LATENT = "diffusion in a 4x7x7 latent: each pass ~1/4 of a pixel pass, one decode at the end"
FAMILY_NOTES = {"GAN": NOTE_GAN, "VAE": NOTE_VAE, "DDPM": NOTE_DDPM, "DDIM": NOTE_DDIM, "Flow": NOTE_FLOW, "Reflow": NOTE_REFLOW,
                "Latent": NOTE_LATENT}

# Labels (the Russian twin, ru/compare.py, defines the same names).
PROMPT_NONE = "none"
REQUEST = "Request: a digit, or none"
SEED = "Seed"
PICTURES = "Pictures per model"
MODELS = "Models (DDPM's 1000 steps take several seconds)"
COMPARE = "Compare"
GALLERY = "Each model's answer, with the judge's reading"

# Made at run time.
NOTHING_ACCEPTED = "nothing the judge accepted"
CHOOSE_MODEL = "Choose at least one model: {models}."
READ_AS_DIGIT = "read as {label}"
READ_AS_ANY = "read as a digit"
TABLE_HEADER = ("| model | pictures {asked} | generated | network evaluations per picture | time | judge-FID (card) "
                "| in short |")
SECONDS = "{s:.2f} s"
NAME_STEPS = "{family}, {steps} steps"
NAME_SOLVER_STEPS = "{family}, {solver} {steps} steps"
NAME_GUIDANCE = ", w = {w}"
SOLVER_EULER = "Euler"
ROW_COST = "{draws} drawn · passes per picture: {nfe} · {seconds}"
ROW_FID = "card judge-FID: {fid}"
# The card's judge-FID for the row's kind of request (lessons/compare.CardFid)
FID_PROMPTED = "{fid:.1f} (n = {n}, prompted, w = {w:g}; {sampler})"
FID_UNPROMPTED = "{fid:.1f} (n = {n}, no prompt; {sampler})"
FID_SAMPLES = "{fid:.1f} (n = {n}, no prompt)"
FID_PRIOR = "{fid:.0f} (n = {n}, random points of the prior)"
FID_NONE = "not measured"
FAMILY_FLOW = "Flow"
FAMILY_REFLOW = "Reflow"
FAMILY_LATENT = "Latent diffusion"
