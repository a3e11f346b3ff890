"""Words of the forward-diffusion tab (kept apart from the wiring so they can be edited and translated on their own)."""

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
