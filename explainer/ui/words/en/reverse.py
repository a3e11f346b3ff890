"""Words of the reverse-diffusion tab (kept apart from the wiring so they can be edited and translated on their own)."""

LEAD = "Generation runs the noising backwards: a network guesses the noise in a picture, a share of the guess is removed, and after a few dozen steps a digit is left. Below: a finished run for the digit 3."
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

With $\eta = 1$ each jump adds fresh noise again, as DDPM does. The new noise washes out part of the small
errors earlier steps made, so with this model 50 noisy steps give cleaner digits than 50 deterministic ones
(its card is measured at $\eta = 1$, the tab's default); $\eta = 0$ shows the straight, repeatable path.

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


# Headings, labels and captions (the Russian twin, ru/reverse.py, defines the same names).
FORMULAS_TITLE = "The reverse process, in formulas"
S1_TITLE = "## 1. Denoise, step by step"
PROMPT_TO_DRAW = "Prompt (the digit to draw)"
PROMPT_NONE = "none"
GUIDANCE = "Guidance w"
SAMPLER = "Sampler"
SAMPLER_DDIM = "DDIM (eta, 5-250 steps)"
SAMPLER_DDPM = "DDPM ancestral (1000 steps)"
DDIM_STEPS = "DDIM steps"
ETA = "DDIM eta (0: deterministic, 1: as noisy as DDPM)"
SEED = "Seed"
BATCH = "Batch"
RUN = "Run"
ONE_STEP = "One step"
XT = "x_t: the state"
X0 = "predicted clean x0"
EPS = "predicted noise eps"
SCRUBBER = "Scrub through the finished run"
S2_TITLE = "## 2. Guidance: typical or diverse"
DRAW_GRID = "Draw the grid"
GUIDANCE_GRID = "Guidance grid"
S3_TITLE = "## 3. Draw, let the judge check, retry"
PROMPT = "Prompt"
CANDIDATES = "Candidates per round"
BAR = "Judge's bar p(digit)"
ROUNDS = "Budget: rounds"
GENERATE_AND_JUDGE = "Generate and judge"
CANDIDATE_GALLERY = "Every candidate with the judge's score"
KEPT = "Kept"
S4_TITLE = "## 4. Noise and restore (SDEdit)"
START_FROM = "Start from"
SOURCE_TEST_DIGIT = "Test digit"
SOURCE_UPLOAD = "Upload"
SOURCE_DRAWING = "Drawing"
TEST_DIGIT_NUMBER = "Test digit number (250 per class)"
UPLOAD_DIGIT = "Upload a digit"
DRAW_DIGIT = "Draw a digit"
NOISE_LEVEL = "Noise level t"
RESTORE_PROMPT = "Prompt for the restoration"
CHAIN_STEPS = "DDIM steps (for the whole chain)"
NOISE_AND_RESTORE = "Noise and restore"
AS_MODEL_SEES = "As the model sees it"
NOISED = "Noised (4 draws)"
RESTORED = "Restored"
S5_TITLE = "## 5. The price of many small steps"
TIME_IT = "Time the GAN and this diffusion run (settings of section 1)"

# Made at run time.
STATUS = "**{what}: step {index} / {steps}** · t = {t:.3f} (k = {k}) · network evaluations per image: **{nfe}**"
STATUS_TIME = " · {s:.2f} s"
STATUS_STEP_TIME = " · this step {ms:.0f} ms"
STATUS_FIRST_FRAME = " · first frame after {ms:.0f} ms"
RUNNING = "running"
DONE = "done"
RECORDED = "recorded"
STEPPING = "one step at a time"
RUN_FIRST = "Run the sampler first; the scrubber then moves through its steps."
GRID_TEXT = ("Rows from top: w = {weights}; columns: prompts 0 to 9, the same starting noise in every row. "
             "{nfe} network evaluations in {s:.1f} s.")
NEED_PROMPT = "The judge needs a prompt to check against: choose a digit."
ROUND_CAPTION_ROUND = "round {round}"
SATISFIED = "satisfied"
NOT_SATISFIED = "not satisfied; budget spent"
RETRY_TEXT = ("**Best: p({digit}) = {best:.3f}** ({verdict}) after {rounds} round(s) of {candidates} "
              "candidates: {nfe} network evaluations in {s:.1f} s.")
NEED_UPLOAD = "Upload a picture of a digit first."
NEED_DRAWING = "Draw a digit on the canvas first."
SDEDIT_TEXT = ("Noised to t = {t:.2f} (k = {k}), restored in {nfe} network evaluations per image ({s:.1f} s). "
               "The judge reads: {digits}.")
SPEED_TABLE = ("| Batch of {batch} | network evaluations per image | time |\n|---|---:|---:|\n"
               "| GAN generator | {gan_nfe} | {gan_ms:.1f} ms |\n"
               "| Diffusion, {sampler} {steps} steps | {diff_nfe} | {diff_ms:.0f} ms |\n\n"
               "Diffusion took **{ratio:,.0f}x** the GAN's time here.")
MAKE_GIF = "Make a GIF of the finished run"
DOWNLOAD_GIF = "Download GIF"
MORE_SETTINGS = "More settings: sampler, eta, batch"
STATUS_LEFT = " · {s:.1f} s so far, about {left:.0f} s left"
STOP = "Stop"
