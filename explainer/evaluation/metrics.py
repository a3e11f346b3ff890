"""Quality measured by the judge: judge-FID, recognizability, class histogram and its entropy.

- judge-FID: Frechet distance between Gaussians fitted to judge features of generated images and
  of the MNIST test set (stored in the judge). Comparable only between runs of the same judge.
- recognizability: share of images the judge labels as a digit with probability >= 0.9.
- class histogram: how many images the judge assigns to each of its 11 labels; its entropy over
  the digit labels shows mode collapse (ln 10 ~ 2.303 is a perfectly even spread).
- SSIM: structural similarity of two images (local means, contrasts and correlation), beside MSE.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from explainer.models.judge import NOT_A_DIGIT, Judge
from explainer.runtime.problems import Problem

CONFIDENT = 0.9


@torch.no_grad()
def judge_outputs(judge: Judge, images: torch.Tensor, batch: int = 1000) -> tuple[torch.Tensor, torch.Tensor]:
    """(probabilities (N, 11), features (N, D)) of images in [-1, 1], on the judge's device, returned on CPU."""
    dev = next(judge.parameters()).device
    probs, feats = [], []
    for chunk in images.split(batch):
        f = judge.features(chunk.to(dev))
        probs.append(torch.softmax(judge.head(f), dim=1).cpu())
        feats.append(f.cpu())
    return torch.cat(probs), torch.cat(feats)


def gaussian_stats(features: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    f = features.double().numpy()
    return f.mean(0), np.cov(f, rowvar=False)


def frechet_distance(mu1: np.ndarray, cov1: np.ndarray, mu2: np.ndarray, cov2: np.ndarray) -> float:
    """||mu1 - mu2||^2 + Tr(C1 + C2 - 2 (C1 C2)^(1/2)), with the trace of the square root taken
    through the symmetric matrix C1^(1/2) C2 C1^(1/2) (same eigenvalues, numerically stable)."""
    w1, v1 = np.linalg.eigh(cov1)
    s1 = (v1 * np.sqrt(np.clip(w1, 0, None))) @ v1.T
    middle = s1 @ cov2 @ s1
    tr_sqrt = np.sqrt(np.clip(np.linalg.eigvalsh((middle + middle.T) / 2), 0, None)).sum()
    return float(((mu1 - mu2) ** 2).sum() + np.trace(cov1) + np.trace(cov2) - 2 * tr_sqrt)


def judge_fid(judge: Judge, features: torch.Tensor) -> float:
    mu, cov = gaussian_stats(features)
    return frechet_distance(mu, cov, judge.ref_mu.double().cpu().numpy(), judge.ref_cov.double().cpu().numpy())


def recognizability(probs: torch.Tensor, threshold: float = CONFIDENT) -> float:
    conf, label = probs.max(1)
    return float(((conf >= threshold) & (label != NOT_A_DIGIT)).float().mean())


def class_histogram(probs: torch.Tensor) -> np.ndarray:
    """Counts of judge labels 0..9 and 10 ("not a digit"), shape (11,)."""
    return np.bincount(probs.argmax(1).numpy(), minlength=NOT_A_DIGIT + 1)


def digit_entropy(hist: np.ndarray) -> float:
    """Entropy (nats) of the spread over digits 0..9, ignoring images labelled "not a digit"."""
    counts = np.asarray(hist[:NOT_A_DIGIT], dtype=np.float64)
    if counts.sum() == 0:
        return 0.0
    p = counts / counts.sum()
    p = p[p > 0]
    return float(-(p * np.log(p)).sum()) + 0.0  # + 0.0 turns -0.0 into 0.0


MAX_ENTROPY = math.log(10)


@dataclass(frozen=True)
class QualityReport:
    n: int
    judge_fid: float
    recognizability: float
    histogram: list[int]
    entropy: float

    def as_dict(self) -> dict:
        return {
            "n_samples": self.n,
            "judge_fid": round(self.judge_fid, 3),
            "recognizability": round(self.recognizability, 4),
            "class_histogram": self.histogram,
            "class_entropy": round(self.entropy, 4),
            "class_entropy_over_ln10": round(self.entropy / MAX_ENTROPY, 4),
        }


def quality_report(judge: Judge, images: torch.Tensor) -> QualityReport:
    probs, feats = judge_outputs(judge, images)
    hist = class_histogram(probs)
    return QualityReport(len(images), judge_fid(judge, feats), recognizability(probs), hist.tolist(), digit_entropy(hist))


def _gaussian_window(sigma: float = 1.5, size: int = 11) -> np.ndarray:
    x = np.arange(size, dtype=np.float64) - (size - 1) / 2
    k = np.exp(-0.5 * (x / sigma) ** 2)
    return k / k.sum()


def _filter_valid(img: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Separable 'valid' correlation of a 2-D image with the 1-D window k on both axes."""
    rows = np.stack([np.convolve(r, k[::-1], mode="valid") for r in img])
    return np.stack([np.convolve(c, k[::-1], mode="valid") for c in rows.T]).T


def ssim(a: np.ndarray, b: np.ndarray, data_range: float = 1.0, sigma: float = 1.5, size: int = 11) -> float:
    """Mean structural similarity of two grayscale images (Wang et al. 2004): local means, variances and
    covariance under an 11x11 gaussian window (sigma 1.5), averaged over the positions where the window
    fits. data_range is 1 for [0, 1] images and 2 for [-1, 1] ones. 1 means identical."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape or a.ndim != 2 or min(a.shape) < size:
        raise Problem("SSIM_SHAPES", size=size)
    k = _gaussian_window(sigma, size)
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    mu_a, mu_b = _filter_valid(a, k), _filter_valid(b, k)
    var_a = _filter_valid(a * a, k) - mu_a**2
    var_b = _filter_valid(b * b, k) - mu_b**2
    cov = _filter_valid(a * b, k) - mu_a * mu_b
    s = ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2))
    return float(s.mean())
