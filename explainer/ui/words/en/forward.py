"""Words of the forward-diffusion tab (kept apart from the wiring so they can be edited and translated on their own)."""

LEAD = "Diffusion starts by destroying pictures: drag t from 0 to 1 and watch noise take over the digit, step by step, along the chosen schedule."
INTRO = """
### Destroying a picture on purpose
A diffusion model learns to *create* pictures by first studying how to *destroy* them. The destruction,
called the **forward process**, needs no network at all: mix the picture with Gaussian noise, a little
more at every step, until nothing of it is left. At the end every picture, a digit, a cat or a
landscape, has turned into the same thing: independent samples of the standard normal distribution
N(0, 1). That end point is known exactly, which is why generation can later start from it.

The noise here is drawn **once**, from the seed. Every noise level is the same two ingredients in other
proportions: a share of the picture plus a share of that noise. Drag t and watch the picture fade while
its pixel histogram melts into the bell curve.
"""

FORMULAS = r"""
**One small step (DDPM).** Step $k$ of $T = 1000$ shrinks the picture slightly and adds a little fresh noise:

$$x_k = \sqrt{1-\beta_k}\,x_{k-1} + \sqrt{\beta_k}\,\varepsilon_k,\qquad \varepsilon_k \sim \mathcal{N}(0, I).$$

**The jump.** Gaussians added to Gaussians stay Gaussian, so $k$ steps collapse into one formula with
$\alpha_k = 1-\beta_k$ and $\bar\alpha_k = \prod_{i\le k}\alpha_i$:

$$x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\varepsilon,\qquad t = k/T.$$

Here $a_t = \sqrt{\bar\alpha_t}$ is the **signal coefficient**, $s_t = \sqrt{1-\bar\alpha_t}$ the **noise coefficient**,
and $a_t^2 + s_t^2 = 1$: the total variance stays about 1 all the way (*variance preserving*).

**Schedules.** *Linear:* $\beta_k$ grows evenly from $10^{-4}$ to $0.02$ (Ho et al., 2020).
*Cosine:* $\bar\alpha_t = f(t)/f(0)$ with $f(t) = \cos^2\!\bigl(\tfrac{t+0.008}{1.008}\cdot\tfrac{\pi}{2}\bigr)$ (Nichol & Dhariwal, 2021),
$\beta_k$ capped at 0.999. *Straight path (flow matching):* $x_t = (1-t)\,x_0 + t\,\varepsilon$, so $a_t = 1-t$, $s_t = t$;
not variance preserving, and the network learns the velocity $\varepsilon - x_0$ instead of $\varepsilon$.

**Signal-to-noise ratio.** $\mathrm{SNR}(t) = a_t^2 / s_t^2$; the plot shows $\log \mathrm{SNR}$, which falls from $+\infty$ (clean) towards $-\infty$ (pure noise).

**Distance to N(0, 1).** $W_1$, the Wasserstein-1 distance between the pixel values and the standard normal:
the average distance each value would have to move for the histogram to become the bell curve exactly.
"""

SCHEDULE_HELP = """
**What the schedule controls** is only *how fast* the picture fades: how much signal is left at each t.
The linear schedule destroys a small 28×28 digit early (past t ≈ 0.5 little of it is recognisable) and then spends
hundreds of steps on pictures that are already noise. The cosine schedule keeps the picture readable
longer and lets the signal-to-noise ratio fall more evenly, so the network's training effort is spread
over noise levels that matter. The straight path of flow matching mixes in plain proportions, 1 − t of
picture and t of noise.
"""

HISTOGRAM_HELP = """
**Why the histogram ends as N(0, 1).** At time t each pixel is a_t × (its value) + s_t × (a sample of N(0, 1)).
As t grows, a_t shrinks to zero, so whatever the picture was, its contribution vanishes, while s_t grows to
one: what remains is the noise itself, N(0, 1), in every pixel. The histogram of a mostly black digit starts
as a tall spike at −1 (off the chart) and a smaller bump at +1; it is squeezed towards 0, blurred, and
finally coincides with the red curve. Values beyond ±1 cannot be shown as grey levels, so the noisy pictures
are displayed clipped.
"""

COMPARE_HELP = """
Noise can be added in **k small steps**, each with its own fresh noise, or in **one jump** with the closed
formula. The pictures differ pixel by pixel (different random numbers), but they are samples of the same
distribution: the same share of the picture survives and the same amount of noise surrounds it. The table
measures both by least squares (the best c in x_t ≈ c·x_0, and the spread of what is left) and compares them
with a_t and s_t. The chain runs on a copy of the picture at most 128 pixels wide.
"""

BATCH_HELP = """
**How a diffusion model is trained.** One training batch holds different pictures, each noised to its own
random step k between 1 and 1000 with the closed-form jump (no chain needed). The network sees the noisy
picture x_t and the step k, and is asked for the noise ε that was mixed in (right column); the loss is the mean
squared error between its guess and this ε. Because every batch mixes all noise levels, one network learns
to denoise at every level at once. For the straight path the target is the velocity ε − x_0 instead.
"""

PLAY_HELP = "Play the whole process as an animation: picture and histogram move together. Download the GIF for slides."

# Headings, labels and captions (the Russian twin, ru/forward.py, defines the same names).
FORMULAS_TITLE = "The forward process, in formulas"
S1_TITLE = "## 1. A picture, a schedule, and t"
DIGIT = "Bundled MNIST digit (number)"
UPLOAD = "…or upload any picture (it replaces the digit)"
SCHEDULE = "Schedule"
# The schedules' own names (maths/diffusion.KIND_LABELS), the menu's values too.
KIND_LINEAR = "linear β (DDPM)"
KIND_COSINE = "cosine (improved DDPM)"
KIND_FLOW = "straight path (flow matching)"
NOISE_SEED = "Noise seed"
CURVES = "Signal, noise and log-SNR"
T_SLIDER = "t: drag from the picture (0) to pure noise (1)"
X0_IMAGE = "x₀: the picture"
XT_IMAGE = "x_t: the noisy picture"
PIXEL_HISTOGRAM = "Pixel histogram"
S2_TITLE = "## 2. Play it"
PLAY = "▶ Play (50 frames)"
GIF_VIEW = "The forward process"
GIF_FILE = "Download GIF"
S3_TITLE = "## 3. One jump or many small steps?"
NOISE_BOTH = "Noise it both ways"
ONE_JUMP = "One jump (closed form)"
STEP_BY_STEP = "Step by step (t·1000 small steps)"
S4_TITLE = "## 4. A training batch"
BATCH_SEED = "Batch seed"
BATCH_SIZE = "Batch size"
DRAW_BATCH = "Draw a batch"
BATCH_GALLERY = "x₀ · x_t · target"

# Made at run time.
STATS = "mean {mean:+.3f} · std {std:.3f} · distance to N(0, 1) W₁ = {w1:.3f}"
HIST_TITLE = "Pixel values of x_t at t = {t:.3f}"
VERDICT_PICTURE = "the picture itself"
VERDICT_NORMAL = "by eye, a sample of N(0, 1)"
VERDICT_CLOSE = "close to N(0, 1)"
VERDICT_FAR = "still far from N(0, 1)"
STEP_INFO = ("**t = {t:.3f}** (step {k} of {T}) · signal a_t = {signal:.3f} · noise s_t = {noise:.3f} · "
             "log-SNR {snr}  \nPixels of x_t: {stats}: **{verdict}**.")
COMPARE_HEADER = "| | one jump | {k} small steps | expected |"
ROW_KEPT = "share of x₀ kept (fit of c)"
ROW_NOISE = "noise around it (std)"
ROW_MEAN = "pixel mean"
ROW_STD = "pixel std"
ROW_W1 = "W₁ to N(0, 1)"
COMPARE_INFO = "**t = {t:.3f}**: same distribution, different random numbers."
BATCH_CAPTION = "digit {label} · step k = {k} (t = {t:.2f})"
BATCH_INFO = "Each card: clean digit x₀ · noisy input x_t · what the network must predict: the **{target}**."
# Drawn into every frame of the GIF: the schedule's short name, then the caption's numbers.
GIF_LINEAR = "linear"
GIF_COSINE = "cosine"
GIF_FLOW = "flow"
GIF_CAPTION = "{label}  t = {t:.2f}   mean {mean:+.2f}  std {std:.2f}  W1 {w1:.2f}"  # as forward_frames.CAPTION
