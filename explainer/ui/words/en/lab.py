"""Words of the 2-D lab tab (kept apart from the wiring so they can be edited and translated on their own)."""

LEAD = "The same three ideas (GAN, diffusion, flow) on points in a plane, where every step of training and sampling fits in one picture."
INTRO = """
### The same ideas, small enough to watch
An MNIST digit is a point in 784 dimensions, which nobody can picture. Here every data point is a dot on a
plane, so you can *see* what the image models do: where noise particles travel, which way a trained network
pushes them, and which parts of the data a generator forgets. The models are tiny (a few thousand weights)
and train **live, in seconds, on this machine's CPU** each time you pick a new dataset or seed; after that
they are cached and answer instantly.
"""

FORMULAS = r"""
All three learn from the same data points $x_0$; noise is $\varepsilon \sim \mathcal{N}(0, I)$ and time runs
from the data ($t = 0$) to the noise ($t = 1$), as on the image tabs.

**DDPM** (here a cosine schedule of $T = 100$ steps): noise a point to a random step, $x_t = a_t x_0 + s_t \varepsilon$,
and teach the network to name the noise: $\mathcal{L} = \lVert \hat\varepsilon(x_t, t) - \varepsilon \rVert^2$.
The noise guess is also the **score**, the direction in which the noisy data gets denser:
$\nabla \log p_t(x) = -\hat\varepsilon(x, t) / s_t$.

**Flow matching** (rectified flow): join $x_0$ and $\varepsilon$ by a straight line, $x_t = (1 - t) x_0 + t \varepsilon$,
and teach the network the speed along it: $\mathcal{L} = \lVert \hat v(x_t, t) - (\varepsilon - x_0) \rVert^2$.
Sampling solves $dx/dt = \hat v(x, t)$ from $t = 1$ down to $0$ (Euler: $x \leftarrow x - h\,\hat v$).

**GAN**: a generator $G(z)$ and a discriminator $D(x)$ play the game of the GAN tab,
$\mathcal{L}_D = -\log D(x_0) - \log(1 - D(G(z)))$, $\mathcal{L}_G = -\log D(G(z))$, with $z$ two-dimensional noise.

**Straightness** of a path = its length / the distance between its two ends (1 for a straight line).
**Energy distance** between samples $Y$ and data $X$: $2\,\mathbb{E}|X - Y| - \mathbb{E}|X - X'| - \mathbb{E}|Y - Y'|$,
zero only when the two clouds have the same distribution.
"""

DATA_HELP = """
Pick a dataset, or draw on the canvas and press **Use my drawing**: 2,000 points are sampled from your ink and
become the dataset **your drawing** (its points are listed below the canvas, where you may also paste your own,
one "x, y" per line; any cloud is centred and scaled to the window). The seed fixes the data points, the
networks' starting weights and the noise: same seed, same result.
"""

TRAIN_HELP = """
Train one model at a time and see its samples (colour) over the data (grey). The numbers: **energy distance**
(0 when samples and data have the same distribution; another draw of the same dataset scores below 0.01, pure
noise 0.2-0.5), how far a sample lies from the nearest data point (are samples *on* the data?) and how
far a data point lies from the nearest sample (is *all* of the data generated?).
"""

PATHS_HELP = """
The same noise particles (same seed) travel to the data under DDPM and under flow matching. **DDPM ancestral**
adds fresh noise at every step: its particles stagger like a random walk. **DDIM** is its deterministic
twin: smooth paths that still bend. **Flow matching** was trained on straight lines, but the paths it learned
bend too, wherever straight lines from different noise points to different data points would cross: a
particle at a crossing cannot follow both, so the network learns their average. The section after this one
straightens them.
"""

REFLOW_HELP = """
**Reflow** (the "rectified" in rectified flow): let the trained flow carry 4,000 noise points to the data, then
fine-tune a copy of it on *those* pairs instead of random ones. The flow's own pairs hardly cross, so the new
paths are almost straight, and a straight path can be walked in **one** Euler step. Compare both at 1 to 5
steps: the first flow lands on the mean of the data, the reflowed one on the data itself.
"""

FIELD_HELP = """
The arrows show where a particle at each spot moves next as t falls towards the data, with the particles of
a run caught at that moment (colour). Slide t: near 1 everything drifts towards the middle, near 0 the arrows
steer into the data's shape. For the flow the arrow is $-v(x, t)$, which also carries the whole cloud outwards
as it grows from $(1 - t)x_0$ to $x_0$; for DDPM it is the score $-\\hat\\varepsilon / s_t$, which always points
uphill in density (longer arrows: steeper).
"""

GAN_HELP = """
A GAN has no path: its generator maps noise to a point in one jump. What it can do wrong is **forget parts
of the data**, mode collapse. On the **ring of 8 Gaussians** (and the checkerboard) the modes can be counted:
the bars show how many of 2,000 samples land in each, and a mode counts as covered when it gets at least a
quarter of its even share. Collapse is a risk, not a certainty: with these settings every seed we measured
(0-4) ended up reaching all 8 blobs, though not always evenly (seed 3 gives some blobs a third of their share
and drops 29% of its samples between them).
The animation replays the same 500 noise points through training: watch them move as a bunch before they
spread over the blobs.
"""

# Headings, labels and captions (the Russian twin, ru/lab.py, defines the same names).
FORMULAS_TITLE = "The three losses, in formulas"
S1_TITLE = "## 1. The data"
DATASET = "Dataset"
# The datasets' own names (lessons/lab/datasets.LABELS), the API's choice values too.
DATA_MOONS = "two moons"
DATA_RING = "ring of 8 Gaussians"
DATA_SPIRAL = "spiral"
DATA_BOARD = "checkerboard"
DATA_DRAWING = "your drawing"
SEED = "Seed"
SHOW_DATA = "Show the data"
DRAWING = "Your drawing (used when the dataset is 'your drawing')"
USE_DRAWING = "Use my drawing"
POINTS_TITLE = "Points of 'your drawing': x, y per line"
DATA = "Data"
S2_TITLE = "## 2. Train a model"
MODEL = "Model"
MODEL_FLOW = "flow matching"
TRAIN = "Train (a few seconds)"
SAMPLES_OVER_DATA = "Samples over the data"
LOSS = "Loss"
S3_TITLE = "## 3. From noise to data: curved or straight?"
STEPS = "Steps"
DDPM_SAMPLER = "DDPM sampler"
SAMPLER_ANCESTRAL = "DDPM ancestral (noisy steps)"
SAMPLER_DDIM = "DDIM (deterministic)"
FLOW_SOLVER = "Flow solver"
SOLVER_EULER = "Euler"
SOLVER_HEUN = "Heun"
PARTICLES = "Particles"
SEND_PARTICLES = "Send the particles"
DDPM_PATHS = "DDPM paths"
FLOW_PATHS = "Flow paths"
PARTICLES_GIF = "Particles moving (both from the same noise)"
S4_TITLE = "## 4. Straighter still: reflow"
EULER_STEPS = "Euler steps"
REFLOW_RUN = "Reflow and compare"
FIRST_FLOW = "First flow"
REFLOWED = "Reflowed"
S5_TITLE = "## 5. The field the network learned"
FIELD = "Field"
FIELD_SCORE = "DDPM score"
FIELD_FLOW = "flow velocity"
FIELD_REFLOW = "reflowed velocity"
T_SLIDER = "t (1 = noise, 0 = data)"
DRAW_ARROWS = "Draw the arrows"
S6_TITLE = "## 6. The GAN and its modes"
GAN_RUN = "Train the GAN and count its modes"
GAN_SAMPLES = "GAN samples"
PER_MODE = "Samples per mode"
THROUGH_TRAINING = "Through training"

# Made at run time.
TIMING_CACHED = "from the cache (trained earlier in {s:.1f} s, {steps:,} steps on the CPU)"
TIMING_FRESH = "trained just now in {s:.1f} s, {steps:,} steps on the CPU"
NO_MODES = "This dataset has no countable modes: read the nearest-sample distance to see whether parts are missing."
COVERAGE = "**Modes covered: {hit} of {modes}**; {off} of {total} samples fall in no mode."
DATA_TITLE = "{label}: {n:,} points"
DATA_TEXT = "**{label}**, seed {seed}: {n:,} points."
SAMPLES_TITLE = "{name}: {n:,} samples over the data"
LOSS_TITLE = "{name}: training loss"
PATHS_HEADER = "| model | sampler | straightness | evaluations / particle | energy distance |"
PATHS_TITLE = "{name}: straightness {s:.2f}"
REFLOW_BETTER = "reflow's samples are closer to the data"
REFLOW_NOT_BETTER = "the first flow's samples are as close or closer to the data"
REFLOW_VERDICT = "At this step count {verdict}."
FIELD_TITLE = "{which} at t = {t:.2f}"
FIELD_PARTICLES = "particles at t ≈ {t:.2f}"
ARROWS_TEXT = "Arrow lengths on the grid: median {median:.2f}, largest {largest:.2f}."
GAN_PER_MODE = "GAN samples per mode"
# Model and sampler names in tables, titles and GIF labels (DDPM and GAN read the same in every language).
NAME_FLOW = "flow matching"  # as lessons/lab/train.LABELS
NAME_REFLOW = "rectified flow (reflow)"
HOW_ANCESTRAL = "DDPM ancestral"
HOW_DDIM = "DDIM, deterministic"
HOW = "{sampler}, {steps} steps"
HOW_ONE_STEP = "{sampler}, {steps} step"
FIT = ("Energy distance to the data {energy:.3f}; a sample's nearest data point is {to_data:.3f} away on average, "
       "a data point's nearest sample {to_samples:.3f}")
TRAINING = "training the {name}: step {step} of {steps}"
GIF_GAN_STEP = "GAN, training step {step:,}"
# Legends and axes of the lab's figures (draw/lab_plots.WORDS).
PLOT_DATA = "data"
PLOT_PATHS = "paths"
PLOT_NOISE = "noise (t = 1)"
PLOT_SAMPLE = "sample (t = 0)"
PLOT_DIRECTION = "direction"
PLOT_MODE = "mode {i}"
PLOT_NO_MODE = "none"
PLOT_EVEN_SHARE = "even share"
PLOT_COUNT = "samples"
PLOT_STEP = "training step"
PLOT_LOSS = "loss"
PLOT_LOSS_D = "loss D"
PLOT_LOSS_G = "loss G"

# The playground (ui/lab_playground.py).
PG_TITLE = "## 7. Playground: watch it learn"
PG_HELP = """Press **Play** and the model trains before your eyes on the dataset above: a frame a few times a
second, its samples over the data and its losses. **Pause** keeps everything; **Step** advances the number of
iterations you choose; **Reset** starts over with the knobs as they are (changing a knob and pressing Play also
starts over). For the GAN, the background is the discriminator's belief D(x) = P(real) (red: "fake", blue:
"real"), the short black lines show where the next generator step pushes each fake point, and with 2-D noise the
thin grid is the noise plane bent by the generator. Your run is yours alone: other visitors have their own."""
PG_PRESET = "Start from"
PG_PRESET_HEALTHY_GAN = "A healthy GAN"
PG_PRESET_MODE_COLLAPSE = "Failure: mode collapse"
PG_PRESET_LR_TOO_LARGE = "Failure: a learning rate too large"
PG_PRESET_FEW_DIFFUSION_STEPS = "Failure: too few diffusion steps"
PG_PRESET_HEALTHY_FLOW = "A healthy flow"
PG_HINT_HEALTHY_GAN = "Look for: the heat map turning pale (D unsure everywhere) as the orange points settle on all eight modes."
PG_HINT_MODE_COLLAPSE = "Look for: the orange points piling onto one or two modes and jumping between them while D's red and blue patches chase them."
PG_HINT_LR_TOO_LARGE = "Look for: a loss curve that stays high and jumps, and samples scattered between the modes instead of on them."
PG_HINT_FEW_DIFFUSION_STEPS = "Look for: with T = 4 the chain has too few steps to carry noise to data: samples smear between the modes however long it trains."
PG_HINT_HEALTHY_FLOW = "Look for: the blue points condensing from a blur onto the modes; the loss falls and then flattens (it never reaches 0: noise is random)."
PG_MODEL = "Model"
PG_LR = "Learning rate"
PG_WIDTH = "Hidden width"
PG_DEPTH = "Hidden layers"
PG_BATCH = "Batch size"
PG_TOTAL = "Training steps (Play stops here)"
PG_NOISE = "GAN: noise size"
PG_D_STEPS = "GAN: discriminator steps per generator step"
PG_T = "DDPM: schedule steps T"
PG_SCHEDULE = "DDPM: schedule"
PG_SOLVER = "Flow: solver"
PG_SAMPLE_STEPS = "Flow: solver steps for the samples"
PG_KNOBS = "Knobs"
PG_PLAY = "▶ Play"
PG_PAUSE = "‖ Pause"  # ‖, not ⏸: a glyph every font has (⏸ was a box on Linux)
PG_STEP = "Step"
PG_STEP_N = "Iterations per Step"
PG_RESET = "Reset"
PG_VIEW = "The model's view"
PG_LOSSES = "Losses"
PG_STATUS = "**{model}** · step **{step} / {total}** · {rate:.0f} iterations a second · {seconds:.1f} s of training"
PG_STATUS_DONE = " · finished: Reset or raise the training steps to go on"
PG_VIEW_TITLE = "{model} after {step} steps"
PG_LOSS_TITLE = "Losses through training"
PLOT_BELIEF = "D(x) = P(real)"
PLOT_WARP = "noise grid through G"
PLOT_PULL = "G's pull"

# Guidance in 2-D (ui/lab_guidance.py).
GD_TITLE = "## 8. Guidance in 2-D: three arrows per particle"
GD_HELP = """A flow that knows the eight parts of the ring (or of the checkerboard) by number learns, for each part,
where to go (green), and with the label hidden, where to go for any part (grey). Guidance mixes them: red =
grey + w × (green − grey). At w = 0 red is grey (the prompt is ignored), at w = 1 it is green, above 1 it points
past green, away from the other parts. The red contours are where guided sampling ends; the black dots are
particles caught at time t on their way there."""
GD_PART = "Part to ask for"
GD_W = "Guidance w"
GD_T = "Time t of the particles (1 = noise, 0 = data)"
GD_RUN = "Draw the arrows"
GD_PLOT = "Guided velocities"
GD_TITLE_PLOT = "Part {part}, w = {w:g}, t = {t:.2f}"
GD_RESULT = ("**{share:.0%}** of {n} guided samples land in part {part} (w = {w:g}); from the same noise with the "
             "prompt ignored (w = 0), {base:.0%}.")
PLOT_DENSITY = "guided samples (density)"
PLOT_PARTICLES = "particles at t"
PLOT_COND = "conditional v(x, t, part)"
PLOT_NULL = "unconditional v(x, t)"
PLOT_GUIDED = "guided"
PG_HOW = "What the playground shows"
GD_HOW = "What the arrows mean"
