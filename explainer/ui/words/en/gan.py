"""Words of the GAN tab (kept apart from the wiring so they can be edited and translated on their own)."""

LEAD = "A generator G turns random noise into a digit in one pass; a discriminator D, trained beside it, tries to tell its fakes from real digits. Under each digit: what the judge reads in it, and D's belief that it is real."
INTRO = """
### Two networks that learn by competing
For a classifier there is always a right answer to compare with. For a *generator* there is none:
nobody can say which "handwritten 7" is the correct one. A GAN sidesteps the problem by training a
second network, the **discriminator D**, whose only job is to tell real digits from generated ones.
The **generator G** turns a random noise vector *z* into an image and is rewarded when D is fooled.
Each network is the other's moving target: as D gets sharper, G must get more convincing.

The random vector is what makes every picture different: same *z*, same digit; new *z*, new digit.
"""

FORMULAS = r"""
D outputs a probability that its input is real. Both players are trained with binary cross-entropy (BCE):

$$\mathcal{L}_D = \mathrm{BCE}(D(x), 1) + \mathrm{BCE}(D(G(z)), 0) = -\log D(x) - \log\bigl(1 - D(G(z))\bigr)$$

$$\mathcal{L}_G = \mathrm{BCE}(D(G(z)), 1) = -\log D(G(z))$$

with $x$ a real digit and $z \sim \mathcal{N}(0, I)$. Training alternates one step of D (G frozen) and one step of G
(D frozen). In theory the game ends when G's images are indistinguishable from real ones and $D \equiv \tfrac12$,
where $\mathcal{L}_D = 2\ln 2 \approx 1.39$ and $\mathcal{L}_G = \ln 2 \approx 0.69$.

This DCGAN: $z \in \mathbb{R}^{64}$ → two fully connected layers → 128 feature maps of 7×7 → two transposed
convolutions (7→14→28) → tanh. D mirrors it: two strided convolutions (28→14→7) → a fully connected layer → one logit.
One small deviation from the textbook loss: D's target for real digits is 0.9 instead of 1 ("one-sided label
smoothing"), which stops D from becoming so sure of itself that G's gradients vanish.
"""

STRENGTHS = """
**Strengths.** One forward pass per image: the timing above is the whole cost, which is why GANs run
comfortably on a CPU. Within one narrow domain (faces, digits, super-resolution) they give sharp results.

**Weaknesses.** Two networks must stay in balance. If D wins outright, its verdicts saturate and G
receives almost no gradient; if G runs ahead, D stops learning anything useful. The losses do not tell
you how good the pictures are (see the training story). And G may find a shortcut, producing only the few
kinds of images that currently fool D: **mode collapse** (last section). GANs also struggle to cover many
domains at once, which is one reason diffusion models took over.
"""

SAMPLE_HELP = "Each image shows D's belief that it is real and what the judge (a separate MNIST classifier) reads in it."
WALK_HELP = """
Pick two seeds: their noise vectors are the two ends of a path through the latent space, and every point
on the path is decoded by G. A straight (linear) path cuts through the middle of the Gaussian ball, where
|z| is smaller than for any typical sample; the spherical path (slerp) keeps |z| where training put it.
"""
STORY_HELP = """
Move the slider through training. The same 64 noise vectors are decoded at every checkpoint, and the
judge reads those 64 pictures each time. Watch how little the losses move once the pictures start
to improve: in a GAN the loss measures the balance of the game, not the quality of the images.
"""
COLLAPSE_HELP = """
Both generators have the same architecture. The collapsed one started as a copy of the healthy one and
kept training against a discriminator that was no longer allowed to learn. With nobody catching up with
it, G drifted towards the few kinds of images this fixed D likes best and forgot the rest: it still
fools D, yet it no longer covers the digits. The judge classifies 1,000 samples of each, live. An even
spread over ten digits has entropy ln 10 ≈ 2.30.
"""

# Labels and captions (the Russian twin, ru/gan.py, defines the same names).
FORMULAS_TITLE = "The losses, in formulas"
S1_TITLE = "## 1. Sample: noise in, digit out"
SEED = "Seed"
COUNT = "Number of images"
GENERATE = "Generate"
RANDOM_SEED = "Random seed"  # no 🎲: on a browser without an emoji font it was an empty box
GALLERY = "Generated digits"
S2_TITLE = "## 2. Walk through the latent space"
START_SEED = "Start seed"
END_SEED = "End seed"
STEPS = "Steps"
PATH = "Path"
PATH_SLERP = "spherical (slerp)"
PATH_LERP = "linear (lerp)"
WALK = "Walk"
WALK_STRIP = "The walk, left to right"
WALK_GIF = "As an animation (download for slides)"
WALK_NORM_PLOT = "|z| along the path"
S3_TITLE = "## 3. The training story: losses say little about quality"
CHECKPOINT = "Checkpoint (drag to scrub through training)"
LOSSES = "Losses"
STORY_GRID = "Same 64 noise vectors at this checkpoint"
CLASS_HISTOGRAM = "Class histogram"
MAKE_GIF = "Make a GIF of the whole training"
TRAINING_GIF = "Training GIF"
S4_TITLE = "## 4. Mode collapse, measured"
COLLAPSE_RUN = "Sample 1,000 from each and let the judge count"
HEALTHY_SAMPLES = "Healthy generator: 32 samples"
COLLAPSED_SAMPLES = "Collapsed generator: 32 samples"
HEALTHY_HISTOGRAM = "Healthy: class histogram"
COLLAPSED_HISTOGRAM = "Collapsed: class histogram"

# Made at run time.
GRID_INFO = ("**{n} digits in {ms:.1f} ms**: one forward pass of the generator, no iterations. "
             "The judge reads a digit in {digits} of {n}; D calls {real} of them real.")
WALK_NORM = "|z| along the path"
WALK_TYPICAL = "typical |z| = √64"
WALK_PLOT_TITLE = "Length of the noise vector along the walk"
WALK_PLOT_X = "position on the path"
WALK_JUDGE = "The judge along the way: {labels}"
STORY_HIST_TITLE = "Judge's labels for the {n} pictures at epoch {epoch:.2f}"
STORY_INFO = ("**Epoch {epoch:.2f}** (step {step}). Loss D ≈ {loss_d:.2f}, loss G ≈ {loss_g:.2f}. "
              "Judge recognizes {recognized:.0%} of samples; spread over digits {entropy:.2f} of {max_entropy:.2f} nats.")
HEALTHY_GAN = "Healthy GAN"
COLLAPSED_GAN = "Collapsed GAN"
COLLAPSE_HIST_TITLE = "{title}: entropy {entropy:.2f} / {max_entropy:.2f}"
COLLAPSE_INFO = ("**{title}**: entropy {entropy:.2f} nats ({share:.0%} of an even spread), "
                 "recognizability {recognized:.0%}.")
DOWNLOAD_GIF = "Download GIF"
