"""Words of the autoencoder tab (kept apart from the wiring so they can be edited and translated on their own)."""

LEAD = "An autoencoder squeezes each digit into two numbers and rebuilds it from them. Click anywhere on a map of those two numbers to see what the autoencoder and the VAE draw there."
INTRO = """
### Squeeze a digit into two numbers, then blow it back up
An **autoencoder** is two networks glued back to back. The **encoder** reads a 28×28 picture (784 numbers)
and squeezes it into a tiny code, the **latent** *z*: here just two numbers, so every digit becomes a point
on a plane you can see. The **decoder** takes the point and paints a picture from it. Training shows both
networks a digit and asks for that same digit back; the picture is its own answer key, so no labels are needed.

Two models below have identical encoder and decoder shapes and were trained on the same digits.
The only difference is what the training asks of the latent. The plain **autoencoder (AE)** is asked
nothing: it may park digits anywhere. The **variational autoencoder (VAE)** is asked to keep its codes
inside a standard normal cloud, N(0, I). That one request decides whether you can *generate* with the decoder.
"""

EXPLAIN = r"""
**Encoder and decoder.** Encoder: two strided convolutions (28→14→7), a small dense layer, then the latent.
Decoder: the mirror image, ending in tanh so pixels land in [−1, 1]. Both models here have the same layers;
the VAE's encoder has one extra output per latent dimension.

**Reconstruction loss.** Both are trained to make the output match the input pixel by pixel. Common choices are
the mean absolute error (L1), the mean squared error (MSE, L2), the binary cross-entropy (each pixel read as the
probability of ink), SSIM (a classical measure of local structure) and perceptual losses (distances between a
pretrained network's features). These models use the binary cross-entropy, the likelihood the original VAE paper
used for MNIST; section 6 shows the blind spot of MSE, which gave an earlier version of these models blurred blends.

**The reparameterization.** The VAE's encoder does not output a point but a small Gaussian: a centre $\mu$
and a spread $\sigma$ for each latent number. During training the decoder sees a random draw from it,
$z = \mu + \sigma \cdot \varepsilon$ with $\varepsilon \sim \mathcal{N}(0, I)$. Writing the draw this way keeps
the randomness outside the network, so gradients still reach $\mu$ and $\sigma$.

**Why the prior closes the holes.** The VAE's loss adds a Kullback-Leibler term,
$\mathrm{KL} = \tfrac12 \sum_j (\mu_j^2 + \sigma_j^2 - \log \sigma_j^2 - 1)$, which is zero only when the encoder's
Gaussian is exactly N(0, 1). It pulls every code towards the centre and keeps each code blurry, so the codes of
different digits overlap and tile the disc without gaps; every point the decoder meets during training is a
neighbourhood, not a pin-prick. Then a random $z$ from N(0, I) lands where the decoder has learned to paint.
The AE has no such pull: its codes sit wherever reconstruction was easiest, on a range nobody chose, with
empty space between them. A random point needs a rule that knows that range: the VAE's rule, N(0, I), is fixed
before training; for the AE one can only be estimated afterwards, for instance by fitting a Gaussian to its codes.
The price of the pull: overlapping codes remember less of each digit, so the VAE's reconstructions are a
little less faithful than the AE's (section 4 gives both).
"""

MAP_HELP = """
Each dot is a real test digit, placed where the encoder puts it (for the VAE: the centre μ of its Gaussian),
coloured by its true class. The dashed circles are 1, 2 and 3 σ of the N(0, I) prior: where random samples land.
Note the scales: the AE spreads its digits over whatever range it liked, leaving gaps between the clusters;
the VAE packs them into the prior's disc.
"""

DECODE_HELP = """
Click anywhere on either map, or move the two sliders, to pick a point *z* = (z1, z2). The same point is decoded by both decoders at once, and
the judge says what it sees. Drag slowly across a gap between two clusters, or out past the 3σ circle.
Release the slider to move the ★ on the maps. Hover any dot on a map to read its coordinates.
"""

HOLES_HELP = """
How much of the plane decodes to a digit? A grid of points over a square of the latent plane, decoded by each
model (top row = largest z2). The judge counts how many it reads as a digit with ≥ 90% confidence
("recognizability") and how many it calls "not a digit". How strict the judge is: see the folded note below.
"""

PRIOR_HELP = """
#### Random points: can the decoder generate?
To generate, one needs a rule for picking random points. The VAE's rule is fixed before training: z ~ N(0, I),
the prior its KL term pulls towards. The plain AE has none, so it is shown two ways: **z ~ N(0, I)**, as a
generator would pick them that does not know the AE's range, and **z from a Gaussian fitted to the AE's own
codes** of the 60,000 training digits, estimated after training. The same 64 draws feed all three pictures.
"""
ENCODE_HELP = """
Bring your own digit: pick one of the 2,500 bundled test digits, upload a picture, or draw one (white or
black ink, any size). It is converted the way MNIST was made (grayscale, ink bright on dark, cropped, scaled
to 20×20 and centred by its centre of mass in 28×28), encoded by both models, and its point lands on both
maps as a ★. The reconstructions show what two numbers can remember.
"""

INTERP_HELP = """
Encode two bundled digits, walk the straight line between their points in each latent space, and decode every
step. In the VAE the path crosses filled-in territory, so intermediate pictures morph between digits; in the AE
the line may cross a hole.
"""

MSE_HELP = """
MSE compares pictures pixel by pixel, with no idea of shape. Below, one digit and six distortions, each scaled
so that its MSE to the original is the **same** (within 2%). A shift of one pixel costs as much as a grey
square or a fog of noise. SSIM (structure) and the judge's feature distance disagree with MSE, and with each
other. A decoder trained on MSE, unsure where a stroke goes, hedges by painting the average of the places it
might go: a blur. That average has a lower expected MSE than any sharp guess.
"""

COMPRESS_HELP = """
A VAE is also a compressor: the encoder is the zip, the decoder the unzip. Modern image generators lean on
exactly that. Running a diffusion model on a megapixel picture directly would be ruinous, so Stable-Diffusion-class
models first encode the picture with a VAE into a much smaller latent (8× smaller per side, 4 channels), run the
whole diffusion process there, and decode only the final latent back to pixels. The VAE is trained separately,
once, on images alone (no labels: the input is the target), and it is small next to the diffusion network.
"""

# Headings, labels and captions (the Russian twin, ru/autoencoder.py, defines the same names).
S1_TITLE = "## 1. The latent maps"
AE_MAP = "Autoencoder latent map"
VAE_MAP = "VAE latent map"
S2_TITLE = "## 2. Decode any point with both models"
AE_DECODES = "Autoencoder decodes"
VAE_DECODES = "VAE decodes"
DECODE_POINT = "Decode this point"
S3_TITLE = "## 3. Holes, measured"
GRID_SIDE = "Grid side"
HALF_WIDTH = "Half-width of the square"
DECODE_GRID = "Decode the grid"
AUTOENCODER = "Autoencoder"
SEED = "Seed"
SAMPLE_PRIOR = "Draw 64 new random points"
S4_TITLE = "## 4. Encode your own digit"
TAB_TEST_DIGIT = "Test digit"
TAB_UPLOAD = "Upload"
TAB_DRAW = "Draw"
DIGIT_NUMBER_CLASSES = "Digit number (250 per class: 0-249 are zeros, ...)"
ENCODE_TEST_DIGIT = "Encode this test digit"
ONE_DIGIT_PICTURE = "A picture of one digit"
ENCODE_PICTURE = "Encode the picture"
DRAW_DIGIT = "Draw a digit"
ENCODE_DRAWING = "Encode the drawing"
AS_ENCODERS_SEE = "As the encoders see it"
AE_REBUILDS = "Autoencoder rebuilds"
VAE_REBUILDS = "VAE rebuilds"
ON_AE_MAP = "Your digit on the AE map"
ON_VAE_MAP = "Your digit on the VAE map"
S5_TITLE = "## 5. Interpolate between two digits"
FROM_DIGIT = "From digit number"
TO_DIGIT = "To digit number"
STEPS = "Steps"
INTERPOLATE = "Interpolate"
AE_LINE = "Autoencoder: straight line in its latent"
VAE_LINE = "VAE: straight line in its latent"
S6_TITLE = "## 6. Why MSE blurs: same MSE, different pictures"
DIGIT_NUMBER = "Digit number"
TARGET_MSE = "Target MSE (pixels in [0, 1])"
SAME_MSE_RUN = "Make six pictures with the same MSE"
SAME_MSE_GALLERY = "Same MSE to the original"
S7_TITLE = "## 7. The VAE as a compressor"
COMPRESS_HEADER = "| model | picture | numbers | latent | numbers | ratio |"
S8_TITLE = "## 8. How it works"

# Made at run time.
MAP_TITLE = "{model}: 2,500 test digits"
MARK_YOU = "you"
JUDGE_READS = "**{model}**: judge reads {verdict}"
BATCH_TEXT = "**{model}**: recognizability **{recognized:.0%}**, \"not a digit\" {junk:.0%}"
HOLES_TEXT = "{side}×{side} points over [−{extent}, {extent}]²: {text}"
VIEW_AE = "Autoencoder, z ~ N(0, I)"
VIEW_VAE = "VAE, z ~ N(0, I): its prior"
VIEW_AE_FITTED = "Autoencoder, fitted Gaussian"
PRIOR_LIVE = "These {n}: {live}"
PRIOR_CARDS = "On 10,000 random points of each kind (measured at training time, model cards):"
PRIOR_CARD_LINE = ("- **{view}**: recognizability **{recognized:.0%}**, judge-FID **{fid:.0f}**, "
                   "class entropy {entropy:.2f} × ln 10, \"not a digit\" {junk:.0%}")
PRIOR_VAE_AHEAD = ("The VAE's random points are read as digits {ratio:.1f}× as often as the AE's N(0, I) points and "
                   "sit closer to real digits (judge-FID {vae_fid:.0f} against {ae_fid:.0f}).")
PRIOR_VAE_CLOSER = ("The VAE's random points sit clearly closer to real digits (judge-FID {vae_fid:.0f} against "
                    "{ae_fid:.0f} for the AE at N(0, I)), but are read as *some* digit only {ratio:.2f}× as often: "
                    "with two numbers, almost any point the AE's decoder meets paints something digit-like. "
                    "The AE's N(0, I) points fall short in which digits they paint and how real they look.")
PRIOR_AE_AHEAD = ("Measured, the VAE's random points are not closer to real digits than the AE's "
                  "(judge-FID {vae_fid:.0f} against {ae_fid:.0f}).")
PRIOR_FITTED_CLOSE = ("Fitted to its own codes, the AE comes within 10% of the VAE's recognizability (judge-FID "
                      "{fit_fid:.0f}): the difference is that the VAE's prior is known before training, while the "
                      "AE's has to be estimated after it.")
PRIOR_FITTED_FAR = ("A Gaussian fitted to the AE's own codes (judge-FID {fit_fid:.0f}) does not bring it within 10% of "
                    "the VAE's recognizability: the AE's codes do not fill a Gaussian, so points drawn from one still "
                    "fall between them.")
RECONSTRUCTIONS_READ = ("Reconstructions of the 10,000 test digits that the judge reads as their true digit (model "
                        "cards): AE **{ae:.0%}**, VAE **{vae:.0%}**.")
CALIBRATION_TITLE = "How strict is the judge? Its calibration"
CALIBRATION_HELP = ("The judge is a small classifier with an 11th class, \"not a digit\", trained on junk (noise, "
                    "blobs, random strokes, two digits ghosted together, digits blurred by 2.5 px and more) and on "
                    "softened digits as digits. Test accuracy {accuracy:.1%}; it calls {junk:.1%} of fresh junk and "
                    "{noise:.1%} of uniform noise \"not a digit\". The 10,000 test digits, blurred by a Gaussian:")
CAL_HEADER = "| blur sigma | read as their digit | called \"not a digit\" |"
CAL_SOFT = "With the contrast halved, {contrast:.1%} are read as their digit; brightened by 0.15, {bright:.1%}."
ENCODED = "**{source}**, encoded:"
ENCODED_LINE = "- **{model}**: z = ({z1:.2f}, {z2:.2f}), reconstruction MSE {mse:.4f}, judge reads {verdict}"
SOURCE_TEST_DIGIT = "Test digit #{index} (a {label})"
SOURCE_PICTURE = "Your picture"
SOURCE_DRAWING = "Your drawing"
JUDGE_ALONG = "The judge along the way:"
MSE_TABLE_HEADER = "| picture | what was done | MSE | SSIM | judge-feature distance | judge reads |"
# "what was done", one per distortion of maths/distortions.py, {s} its strength
DONE_ORIGINAL = "the digit itself"
DONE_SHIFT = "moved {s:.2f} px right and down"
DONE_BLUR = "gaussian blur, sigma {s:.2f} px"
DONE_NOISE = "gaussian noise, std {s:.3f}"
DONE_BRIGHTNESS = "every pixel +{s:.3f}"
DONE_CONTRAST = "contrast reduced by {s:.0%}"
DONE_OCCLUSION = "grey square, side {s:.2f} px"

# Section 7, live: latent diffusion.
LDM_TITLE = "### Latent diffusion, live: generate in the latent, decode once"
LDM_HELP = """This app has such a pair at MNIST size: a VAE that squeezes a digit into a 4 × 7 × 7 latent (196
numbers instead of 784), and a flow model trained only on those latents. Generation runs every step in the latent
with the small network; the decoder runs once, at the end. Beside it, the same request through the pixel flow
of the flow tab (same sampler, steps and guidance), timed in the same call."""
LDM_RUN = "Generate in the latent"
LDM_PROMPT = "Prompt (the digit to draw)"
LDM_STEPS = "Steps"
LDM_FIGURE = "The latent, its decoding, and pixel-space generation of the same request"
LDM_ROW_LATENT = "The finished latents (4 channels of 7 × 7, 0 is gray)"
LDM_ROW_DECODED = "Decoded once"
LDM_ROW_PIXEL = "Pixel flow, same request"
LDM_READ_DIGIT = "read as {label}: {hits} / {n}"
LDM_READ_ANY = "read as a digit: {hits} / {n}"
LDM_COST_LATENT = "{nfe} latent passes · {ms:.0f} ms, decode {decode:.0f} ms"
LDM_COST_PIXEL = "{nfe} pixel passes · {ms:.0f} ms"
LDM_NUMBERS = ("**Measured now:** a step costs **{latent:.1f} ms** in the latent against **{pixel:.1f} ms** in pixels "
               "({speed:.1f}× cheaper here); by operation count one latent pass is {lf:.1f} MFLOP against {pf:.1f} "
               "for a pixel pass ({ratio:.1f}×), and the one decode {df:.1f} MFLOP. Compression: 784 → 196 numbers, 4×. "
               "Guidance w = {w:g}, {steps} Euler steps.")
LDM_NUMBERS_NO_PIXEL = ("**Measured now:** {latent:.1f} ms a step in the latent ({lf:.1f} MFLOP a pass), one decode "
                        "{df:.1f} MFLOP. Compression: 784 → 196 numbers, 4×.")
LDM_CARD = ("**The card** ({n} samples a setting, Euler {steps} steps): the requested digit in **{acc:.1%}** of pictures at "
            "the recommended w = {w:g}; judge-FID at w = 1 **{fid:.1f}** against pixel DDIM-50's **{ddim:.1f}** on the "
            "same prompts (lower is better); reconstructions of test digits read as their digit: {rec:.1%}.")
LDM_NOT_MEASURED = "The latent model's card has no measurements yet (`python -m explainer.train ldm --evaluate N`)."
PROMPT_NONE = "none"
NO_LDM = "The latent-diffusion models (pretrained/ldm.*, pretrained/ldm_vae.*) are missing."
