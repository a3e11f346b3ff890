"""Words shared by every tab: validation messages and the seed field (Russian twin: ru/common.py)."""
from explainer.runtime.seeding import MAX_SEED

INT_NEEDED = "{name} must be a whole number between {lo} and {hi}."
INT_GOT = "{name} must be a whole number between {lo} and {hi}, got {got}."
INT_RANGE = "{name} must be between {lo} and {hi}, got {got}."
NUMBER_NEEDED = "{name} must be a number between {lo} and {hi}."
NUMBER_GOT = "{name} must be a number between {lo} and {hi}, got {got}."
CHOICE = "{name} must be one of: {choices}."
# A sampling tab's GIF button before any run (ui/runs.py).
RUN_FIRST_GIF = "Run the sampler first; the GIF is made from the finished run."
INPUT_COUNT = ("This endpoint takes {needed} inputs, in the order the README's API table gives; it got {got}.")
UNEXPECTED = "Something went wrong ({kind}). Please try again or change the settings."
SEED_INFO = f"a whole number from 0 to {MAX_SEED}"
HOW_IT_WORKS = "How it works: the idea in words and formulas"
