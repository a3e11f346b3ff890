"""Words of the reverse-diffusion tab (kept apart from the wiring so they can be edited and translated on their own)."""

INTRO = """
### Making a picture by removing noise
The forward tab destroyed a digit by adding noise. Generation runs that film backwards: start from pure
noise and, step by step, take a little of it away until a digit is left. Nobody knows how to undo noise in
closed form, so a network learns it. It is shown a noisy digit together with the noise level, and has one
job: **guess the noise that was added**. Once it can do that, subtracting a share of its guess gives a
slightly cleaner picture, which goes back in for the next guess.

The network here is a small UNet (about a million weights). It gets three inputs: the noisy picture, the
time t (how noisy the picture is: turned into a vector of sines and cosines of many frequencies, so that
nearby noise levels look alike and distant ones do not), and the **prompt**, a digit class standing in for
the text prompt of a real image generator. During training the prompt was hidden one time in ten, so the
same network also knows how to denoise with no prompt at all. That is what makes guidance possible.
"""

FORMULAS = r"""
**Training (Ho et al., 2020).** Take a training digit $x_0$, a random step $k \in \{1..1000\}$ and fresh noise
$\varepsilon$; noise the digit in one jump and ask the network to find $\varepsilon$ again:

$$x_k = \sqrt{\bar\alpha_k}\,x_0 + \sqrt{1-\bar\alpha_k}\,\varepsilon,\qquad
\mathcal{L} = \bigl\lVert \varepsilon - \varepsilon_\theta(x_k,\ t = k/T,\ y) \bigr\rVert^2 .$$

**The clean picture it implies.** A noise guess is also a guess of the clean digit:
$\hat x_0 = \bigl(x_k - \sqrt{1-\bar\alpha_k}\,\hat\varepsilon\bigr)/\sqrt{\bar\alpha_k}$ (the middle panel above).

**DDPM, ancestral sampling.** Step from $k$ to $k-1$ by drawing from the Gaussian that the forward process
would have had, given $x_k$ and the guessed $\hat x_0$; fresh noise enters at every step:

$$x_{k-1} = \frac{\sqrt{\bar\alpha_{k-1}}\,\beta_k}{1-\bar\alpha_k}\,\hat x_0 + \frac{\sqrt{\alpha_k}\,(1-\bar\alpha_{k-1})}{1-\bar\alpha_k}\,x_k
+ \tilde\sigma_k z,\qquad \tilde\sigma_k^2 = \frac{1-\bar\alpha_{k-1}}{1-\bar\alpha_k}\,\beta_k .$$

**DDIM (Song et al., 2021).** Keep the same network but jump between any two levels $k > k'$, re-using the
guessed noise as the direction back to noise level $k'$; with $\eta = 0$ no fresh noise enters, so the
run is deterministic and 50 steps do what DDPM needs 1000 for:

$$x_{k'} = \sqrt{\bar\alpha_{k'}}\,\hat x_0 + \sqrt{1-\bar\alpha_{k'}-\sigma^2}\,\hat\varepsilon + \sigma z,\qquad
\sigma = \eta\sqrt{\tfrac{1-\bar\alpha_{k'}}{1-\bar\alpha_k}}\sqrt{1-\tfrac{\bar\alpha_k}{\bar\alpha_{k'}}} .$$

**Classifier-free guidance (Ho & Salimans, 2022).** Ask the network twice, with the prompt and without, and
extrapolate from the second towards the first:

$$\hat\varepsilon = \varepsilon_\theta(x, t, \varnothing) + w\,\bigl(\varepsilon_\theta(x, t, y) - \varepsilon_\theta(x, t, \varnothing)\bigr).$$

$w = 0$ ignores the prompt, $w = 1$ is the plain conditional model, $w > 1$ exaggerates what makes the
prompted digit different from "any digit", at the price of two network evaluations per step.
"""

RUN_HELP = """
Press **Run** and watch the three panels: the state $x_t$ (left) starts as noise; the network's guess of
the clean digit (middle) is a blurry average early on and sharpens long before the state does; its guess of
the noise (right) is what gets subtracted. The counter shows the step and the number of network evaluations
per image. **One step** advances one step per click from the same seed. After a run, drag the scrubber back
and forth through the recorded steps.
"""

GRID_HELP = """
Each column asks for one digit, each row uses a larger guidance weight w, and every row starts from the same
ten noises. At w = 0 the prompt is ignored and you get whatever digits the noise suggests; at w = 1 the prompt
is obeyed but the digits keep their variety of styles; larger w makes them bolder and more alike: typicality
bought with diversity.
"""

RETRY_HELP = """
A generator that can be checked can be retried. Draw K candidates for the prompt, let the judge (the app's
small vision model) score how sure it is that each shows the requested digit, keep the best, and draw a new
round if even the best is below the bar, until the budget of rounds runs out. Low guidance with a judge in the
loop keeps variety and still delivers the digit; every retry costs another round of network evaluations.
"""

SDEDIT_SOURCES = ["Test digit", "Upload", "Drawing"]

SDEDIT_HELP = """
Take a real or hand-drawn digit, noise it to level t, and let the model denoise it with a prompt (SDEdit).
A little noise leaves the strokes in place and the model only tidies them; a lot of noise leaves only the
rough layout, and the model invents a new digit there, following the prompt if you give one. At t = 1 the
picture is gone entirely and this is ordinary sampling.
"""

SPEED_HELP = """
A GAN makes a digit in one pass of its generator. Diffusion makes it in many passes of its denoiser, each
about as expensive as the GAN's whole job, and guidance doubles the count. That is the price of the stable
training and the easy conditioning; fewer-step samplers such as DDIM, and distillation, exist to lower it.
"""


def speed_table(batch: int, gan_ms: float, gan_nfe: int, diff_ms: float, diff_nfe: int, sampler: str, steps: int) -> str:
    return (f"| Batch of {batch} | network evaluations per image | time |\n|---|---:|---:|\n"
            f"| GAN generator | {gan_nfe} | {gan_ms:.1f} ms |\n"
            f"| Diffusion, {sampler.upper()} {steps} steps | {diff_nfe} | {diff_ms:.0f} ms |\n\n"
            f"Diffusion took **{diff_ms / max(gan_ms, 1e-3):,.0f}x** the GAN's time here.")
