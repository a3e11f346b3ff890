"""Words of the flow-matching tab."""

LEAD = "Flow matching learns a velocity that carries noise to a digit along nearly straight lines, so a few steps of an ODE solver are enough. Below: a finished run for the digit 5."
INTRO = """
### Flow matching: drive straight from noise to a digit
Diffusion walks from noise to a picture along a curved road: the noisy state is a *mix* of picture and
noise whose shares follow a quarter circle (signal share squared plus noise share squared is always one),
and the sampler needs many small steps to follow that bend. **Flow matching** asks a simpler question. Take
a training digit and some noise and join them with a straight line, x_t = (1 - t) x_0 + t eps. Along that
line the speed is constant: the velocity is just eps - x_0. A network is trained to predict that velocity
at any point and time (the same small UNet as in the reverse tab, the same prompt and guidance).

To generate, start from noise at t = 1 and follow the predicted velocity down to t = 0: that is solving an
ordinary differential equation (a *neural ODE*). Euler's method takes one velocity per step; Heun's looks
again at the end of each step and averages, paying two network calls per step for much better accuracy.
Because the learned roads are nearly straight, few steps already land close to where many would:
**rectified flow** is built on this, and so are recent image generators (Stable Diffusion 3, Flux).
"""

FORMULAS = r"""
**Path and target.** $x_t = (1-t)\,x_0 + t\,\varepsilon$, so $\frac{dx_t}{dt} = \varepsilon - x_0$ and

$$\mathcal{L} = \bigl\lVert (\varepsilon - x_0) - v_\theta(x_t,\ t,\ y) \bigr\rVert^2,\qquad t \sim U[0,1].$$

**Sampling** integrates $\frac{dx}{dt} = v_\theta(x, t, y)$ from $t=1$ to $t=0$ with step $h$:
Euler $x \leftarrow x - h\,v(x,t)$; Heun $\tilde x = x - h\,v(x,t)$, then
$x \leftarrow x - \tfrac{h}{2}\bigl(v(x,t) + v(\tilde x, t-h)\bigr)$.

**What the velocity says about both ends.** $\hat x_0 = x_t - t\,v$ and $\hat\varepsilon = x_t + (1-t)\,v$
(the middle and right panels). **Guidance** mixes velocities as DDIM mixes noise guesses:
$v = v_\varnothing + w\,(v_y - v_\varnothing)$.

**Straightness** of a trajectory: its length divided by the distance between its ends (1 = a straight line).
"""

RUN_HELP = """Pick a prompt and a number of steps, then **Run**: every step streams in (the state, the
picture the velocity points at, and the noise it came from). Try 1, 2 and 5 Euler steps: with a straight
road even one step gives a recognisable, if blurry, digit."""

PATHS_HELP = """The same starting noise and prompt through this flow model and through DDIM (the reverse
tab's diffusion model, eta 0) with the same number of steps. Each path is drawn by how far it has come
along the straight line from its noise to its final picture (across) and how far it strays from that line
(up): the flow keeps close to the axis, DDIM bulges."""

CARD_HELP = """Measured offline on the same prompts and seeds (`python -m explainer.train flow --evaluate N`):
judge-FID (lower is better) of the flow (Euler) and of DDIM at the same step counts, guidance w = 1."""


# Headings, labels and captions (the Russian twin, ru/flow.py, defines the same names).
FORMULAS_TITLE = "Flow matching, in formulas"
S1_TITLE = "## 1. Follow the velocity"
PROMPT_TO_DRAW = "Prompt (the digit to draw)"
PROMPT_NONE = "none"
GUIDANCE = "Guidance w"
SOLVER = "ODE solver"
SOLVER_EULER = "Euler (1 evaluation per step)"
SOLVER_HEUN = "Heun (2 evaluations per step)"
STEPS = "Steps"
SEED = "Seed"
BATCH = "Batch"
RUN = "Run"
XT = "x_t: the state"
HEADS = "where it heads: x_t - t v"
CAME_FROM = "where it came from: x_t + (1 - t) v"
SCRUBBER = "Scrub through the finished run"
S2_TITLE = "## 2. Straight or curved: the same noise through flow and DDIM"
COMPARE_PATHS = "Compare the paths (settings of section 1)"
FLOW = "Flow"
DDIM_SAME = "DDIM, same noise and prompt"
PATHS = "Paths"
S3_TITLE = "## 3. Few steps, measured"
MAKE_GIF = "Make a GIF of the finished run"
DOWNLOAD_GIF = "Download GIF"

# Made at run time.
STATUS = ("**{what}: step {index} / {steps}** · t = {t:.3f} · "
          "network evaluations per image: **{nfe}** · {s:.2f} s")
RUNNING = "running"
DONE = "done"
RECORDED = "recorded"
RUN_FIRST = "Run the flow first; the scrubber then moves through its steps."
NO_DDIM = "The diffusion model (pretrained/ddpm.*) is missing, so there is no DDIM to compare with."
PATHS_TITLE = "{steps} steps from the same noise"
PATHS_HEADER = "| | straightness (1 = straight line) | network evaluations per image | time |"
PATHS_ROW = "| {name} | **{mean:.3f}** (min {lo:.3f}, max {hi:.3f}) | {nfe} | {s:.2f} s |"
NOT_MEASURED = "*Not measured yet for the shipped weights.*"
FID_STEPS = "steps"
FID_FLOW = "flow (Euler)"
FID_FOOTER = "{n:,} samples per cell, guidance w = {w:g}."
FID_UNPROMPTED_TITLE = "Without a prompt (the null class), judge-FID:"
FID_UNPROMPTED_FOOTER = "{n:,} samples per cell. eta 1 draws fresh noise at every DDIM step, as DDPM does; eta 0 is deterministic."
MORE_SETTINGS = "More settings: solver, batch"
STATUS_LEFT = " · about {left:.1f} s left"
STOP = "Stop"

# Section 4: few steps with reflow.
S4_TITLE = "## 4. One or two steps: the flow, straightened by reflow"
REFLOW_HELP = """**Reflow** retrains the flow on straight lines: each noise is joined to the picture the flow itself
draws from it, and a copy of the network learns those lines. The lines of different pairs no longer cross, so
the new paths bend less and Euler with 1-4 steps follows them better. Below: the same noise and prompt through
both models at 1, 2 and 4 steps, and the GAN's single pass, all timed now."""
REFLOW_RUN = "Compare 1, 2 and 4 steps (prompt and seed of section 1)"
WHAT_IS_REFLOW = "What is reflow?"
REFLOW_N = "Pictures per row"
REFLOW_FIGURE = "The same noise at 1, 2 and 4 steps"
NO_REFLOW = "The reflowed model (pretrained/reflow.*) is missing, so there is nothing to compare."
MODEL_FLOW = "Flow"
MODEL_TEACHER = "Flow, reflow's teacher ({epochs:g} epochs)"
MODEL_FLOW_PAST_TEACHER = "Flow ({epochs:g} epochs; reflow learned from it at {teacher:g})"
MODEL_REFLOW = "Reflow"
ROW_STEPS = "{model}, Euler steps: {steps}"
ROW_GAN = "GAN, one pass"
ROW_READ_DIGIT = "read as {label}: {hits} / {n}"
ROW_READ_ANY = "read as a digit: {hits} / {n}"
ROW_COST = "passes per picture: {nfe} · {ms:.0f} ms"
STRAIGHTNESS_NOW = ("Straightness of these paths (16 Euler steps; length over the distance between the ends, 1 is a "
                    "straight line): flow **{flow:.3f}**, reflow **{reflow:.3f}**.")
REFLOW_TABLE_HEADER = "| judge-FID (card), Euler steps | 1 | 2 | 4 |"
REFLOW_TABLE_FOOTER = ("Measured on {n:,} samples per cell, prompted (digits in turn, w = 1); lower is better. The GAN's "
                       "one pass on the same number: **{gan:.0f}**. Straightness on 50-step paths: flow {sf:.3f}, "
                       "reflow {sr:.3f}. This reflow trained {epochs} epochs on {pairs:,} pairs.")
REFLOW_VERDICT_AHEAD = "Against the GAN's single pass, reflow at 2 steps is as good or better (by this judge)."
REFLOW_AHEAD_OF_FLOW_AT_2 = "At 2 steps the reflowed flow is ahead of the flow."
REFLOW_VERDICT_BEHIND = ("Against the GAN's single pass, reflow at 2 steps is still behind: "
                         "the published recipe uses far more pairs and training, and often a distillation step.")
REFLOW_TEACHER_AHEAD_AT_4 = "At 4 steps the flow is ahead again."
REFLOW_DISTILLED = ("Then it was distilled for {epochs} epochs on {pairs:,} pairs of its own, with {share}% of each "
                    "batch trained on the one-step jump from pure noise (t = 1).")
REFLOW_ONE_STEP_RATIO = "At 1 step its judge-FID is {ratio:.2f} times the GAN's."
REFLOW_NOT_MEASURED = "The reflow card has no measurements yet (`python -m explainer.train reflow --evaluate N`)."
