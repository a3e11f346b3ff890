"""What the autoencoder tab's model cards measured, in the reader's words: the random points of each view, the
reconstructions, the judge's calibration (numbers from pretrained/*.json, read when the tab is built)."""
from __future__ import annotations

from explainer.lessons import autoencoder as L
from explainer.models import pretrained
from explainer.ui import i18n
from explainer.ui.words.en import autoencoder as T
from explainer.ui.words.ru import autoencoder as autoencoder_ru

W = i18n.Words("ae", T, autoencoder_ru)


def _card_line(view: str, r: dict) -> str:
    return W.text("PRIOR_CARD_LINE", view=W.text("VIEW_" + view.upper()), recognized=r["recognizability"],
                  fid=r["judge_fid"], entropy=r["class_entropy_over_ln10"], junk=r["class_histogram"][-1] / r["n_samples"])


def prior_card_text() -> str:
    """What 10,000 random points per view gave at training time (model cards), and the statement they support."""
    cards = L.card_prior_reports()
    v = L.prior_verdict(cards)
    lines = [W.text("PRIOR_CARDS")] + [_card_line(view, cards[view]) for view in L.PRIOR_VIEWS]
    said = W.text("PRIOR_" + v.key, ratio=v.recognizability_ratio, ae_fid=cards["ae"]["judge_fid"],
                  vae_fid=cards["vae"]["judge_fid"])
    said += " " + W.text("PRIOR_FITTED_CLOSE" if v.fitted_close else "PRIOR_FITTED_FAR", fit_fid=cards["ae_fitted"]["judge_fid"])
    return "\n".join(lines) + "\n\n" + said


def reconstruction_text() -> str:
    """How often the judge reads each model's reconstruction of a test digit as that digit (model cards)."""
    read = {n: pretrained.read_card(n)["metrics"]["reconstructions_read_as_true_digit"] for n in L.MODELS}
    return W.text("RECONSTRUCTIONS_READ", ae=read["ae"], vae=read["vae"])


def calibration_text() -> str:
    """The judge's calibration table from its card: what blur, contrast and brightness do to its reading."""
    m = pretrained.read_card("judge")["metrics"]
    rows = [W.text("CAL_HEADER"), "|---|---|---|"]
    rows += [f"| {r['sigma_px']:g} px | {r['read_correctly']:.1%} | {r['not_a_digit']:.1%} |" for r in m["calibration_blur_px"]]
    return "\n".join([W.text("CALIBRATION_HELP", accuracy=m["test_accuracy"], junk=m["junk_labelled_not_a_digit"],
                               noise=m["uniform_noise_labelled_not_a_digit"]), "", *rows, "",
                      W.text("CAL_SOFT", contrast=m["contrast_halved_read_correctly"],
                             bright=m["brightened_0.15_read_correctly"])])
