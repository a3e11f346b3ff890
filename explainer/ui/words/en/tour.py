"""Words of the guided tour: the story of generative CV in six steps, from the GAN to flow matching."""

LEAD = "Six steps, one small live demo each, from a GAN to flow matching; each step has a button to its full tab."
INTRO = """
## A guided tour in six steps

How do you teach a network to draw something that has no single right answer? A classifier is easy to
train: every picture comes with its label, and the error is plain. A generator has nothing to compare
against: nobody can say which handwritten 7 is *the* correct one. Every method below is a different answer
to that puzzle. Each step has a few sentences, one small live demo, and a button to its full tab.
"""

GAN = """
### 1. GAN: two networks in a contest

No correct picture to compare with? Let a second network judge. The **discriminator** learns to tell real
digits from generated ones; the **generator** turns random numbers into a picture and wins whenever the
discriminator takes it for real.
"""
GAN_MORE = """
Once trained, generation is a single pass through the generator: fast, and often sharp. The price is a
touchy training (the two must stay in balance) and **mode collapse**, where the generator finds a few
pictures that always work and stops drawing anything else.
"""

AUTOENCODER = """
### 2. Autoencoder: squeeze and rebuild

An older idea: an **encoder** squeezes a picture into a few numbers (the *latent*), a **decoder** rebuilds it
from them. No judge is needed: the loss is how far the rebuilt picture is from the original (MSE).
"""
AUTOENCODER_MORE = """
Here the latent is just **two numbers**, so every digit becomes a point on a plane. Rebuilding works, a bit
blurred: an average over pixels prefers a safe grey smudge to a sharp stroke in a slightly wrong place.
But to *create* we would need to pick new points, and the plain autoencoder leaves its plane full of holes:
most points decode to nothing like a digit.
"""

VAE = """
### 3. VAE: a latent with no holes

The variational autoencoder adds one thing to the training: a pull that makes the codes of all digits fill a
known shape, a round cloud around zero (a standard normal distribution). Then generating is easy: draw two
random numbers from that distribution and decode them, and they land where the decoder has learned to draw.
"""
VAE_MORE = """
The maps show where 2,500 test digits land in each plane (dashed circles: 1, 2 and 3 standard deviations of
that cloud). The autoencoder spreads its codes over whatever range suited it, with gaps between the
clusters; the VAE packs them into the disc. Move the point and compare the two decoders: a point inside the disc
decodes to a digit in the VAE; in the autoencoder, whose codes were never asked to fill it, you meet whatever
its decoder happens to paint there. Today's large image generators still use a VAE, as a
compressor: they work on its small latent instead of on millions of pixels.
"""

FORWARD = """
### 4. Diffusion, forward: destroy a picture on purpose

GANs and VAEs draw in one pass. People draw step by step, and in text and in boosting the best models also
improve their answer a little at a time. To train a network to draw step by step we would need the
in-between drafts of every picture, and nobody has those. So we make our own by going backwards: add a
little Gaussian noise, then a little more, until nothing of the picture is left.
"""
FORWARD_MORE = """
No network is needed for this direction. Drag t and watch the pixel histogram turn into the bell curve of
N(0, 1): every picture ends up as the same kind of noise.
"""

REVERSE = """
### 5. Diffusion, reverse: undo the noise, step by step

Now train a network to undo one small piece of that damage: shown a noisy picture and how noisy it is, it
predicts the noise that was added, and the loss is again a plain MSE. Generation starts from pure noise and
removes a little noise many times over, each time looking at the whole picture again. A prompt (here the
digit to draw) can steer every step.
"""
REVERSE_MORE = """
The result is excellent and general, at a price: tens to hundreds of network passes instead of the GAN's one.
"""

REVERSE_MISSING = """
*The reverse-diffusion model is not installed in this copy of the app, so this step has no live demo here.*
"""

FLOW = """
### 6. Flow matching: straight paths from noise to data

The newest large image models keep the step-by-step idea but change the route. Instead of a noise schedule
with its curved path, they connect each picture and its noise by a **straight line** and train the network
to predict the direction of travel along it (a velocity). Straighter paths need fewer, larger steps.
"""

FLOW_MISSING = """
*The flow-matching model is not installed in this copy of the app, so this step has no live demo here; the
forward tab already shows the straight path as its third schedule ("flow").*
"""

OUTRO = """
That is the whole story: contest (GAN), compression (autoencoder), a tidy latent (VAE), step-by-step
denoising (diffusion) and straight paths (flow). Each tab above goes deeper, with the maths in folded
sections for those who want it.
"""

# Labels and captions (the Russian twin, ru/tour.py, defines the same names).
SEED = "Seed"
DRAW_DIGITS = "Draw {n} digits"
GOTO = "Open the full {label} tab →"
GAN_GALLERY = "Generated digits, with the judge's reading"
TEST_DIGIT = "Test digit number"
AE_PAIR = "The digit, and the autoencoder's rebuild from two numbers"
MAP_AE = "Autoencoder: where 2,500 test digits land (★: the point below)"
MAP_VAE = "VAE: where 2,500 test digits land (★: the point below)"
AE_DECODES = "Autoencoder decodes z"
VAE_DECODES = "VAE decodes z"
T_SLIDER = "t: from the picture (0) to pure noise (1)"
PIXEL_HISTOGRAM = "Pixel histogram"
PROMPT = "Prompt (the digit to draw)"
PROMPT_NONE = "none"
DENOISE = "Denoise {n} digits"
FLOW_DRAW = "Draw {n} digits in {steps} steps"
SNAPSHOTS_IMAGE = "From noise (left) to digit (right), one row per digit"

# Made at run time.
AE_TEXT = ("Test digit #{index} (a {label}) → just two numbers, z = ({z1:.2f}, {z2:.2f}) → rebuilt "
           "(right) with MSE {mse:.4f}; the judge reads the rebuild as {verdict}.")
SNAPSHOTS_TEXT = ("Left to right: {n} moments of a {steps}-step {run}, {nfe} network "
                  "passes per digit in {s:.1f} s (the GAN needs one).")
RUN_DDIM = "run"
RUN_EULER = "Euler run"
MORE = "More on this step"
