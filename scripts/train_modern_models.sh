#!/usr/bin/env bash
# Trains the models of the "modern answers" on one GPU in about nine minutes, in two pipelines side by side:
#   A: flow at parity with ddpm (its 66 epochs and six stages of label dropout, at batch 128 with the learning
#      rates scaled by sqrt 2), then reflow pairs from that flow, the reflow training, and both cards' metrics;
#   B: the latent-diffusion compressor (ldm_vae), the latent denoiser (ldm) and its card's metrics.
# Usage: scripts/train_modern_models.sh DATA_DIR RUNS_DIR SECONDS   (TINY=1: a smoke test of a few steps)
# Weights and cards land in RUNS_DIR/flow and RUNS_DIR/ldm; copy them into pretrained/ after looking at them.
set -u
DATA=$1 RUNS=$2 BUDGET=${3:-540}
END=$(( $(date +%s) + BUDGET ))
export PYTHONUNBUFFERED=1 EXPLAINER_THREADS=${EXPLAINER_THREADS:-4}
T() { python -m explainer.train "$@" --data-dir "$DATA"; }
left() { echo $(( END - $(date +%s) )); }
mkdir -p "$RUNS/flow" "$RUNS/ldm"
for d in flow ldm; do cp pretrained/judge.* pretrained/ddpm.* pretrained/gan.* pretrained/flow.* "$RUNS/$d/"; done

if [ "${TINY:-0}" = 1 ]; then E=(1 1 1 1 1 1) NP=256 PS=2 RE=1 VE=1 LE=1 N=40 CH=64
else E=(22 8 6 12 12 6) NP=100000 PS=25 RE=40 VE=20 LE=100 N=10000 CH=2000; fi

(   # B: latent diffusion
  T ldm_vae --out "$RUNS/ldm" --epochs $VE &&
  T ldm --out "$RUNS/ldm" --epochs $LE --max-minutes 3 &&
  timeout $(( $(left) - 5 )) python -m explainer.train ldm --data-dir "$DATA" --out "$RUNS/ldm" --evaluate $N --eval-steps 20
  echo "B done: $?"
) > "$RUNS/ldm.log" 2>&1 &

(   # A: flow at parity, then reflow
  set -e
  T flow --out "$RUNS/flow" --bf16 --batch 128 --save-minutes 100 --epochs ${E[0]} --lr 1.4e-3 --p-uncond 0.1
  T flow --out "$RUNS/flow" --bf16 --batch 128 --save-minutes 100 --init-from flow --epochs ${E[1]} --lr 7e-4 --p-uncond 0.3
  T flow --out "$RUNS/flow" --bf16 --batch 128 --save-minutes 100 --init-from flow --epochs ${E[2]} --lr 4.2e-4 --p-uncond 0.5
  T flow --out "$RUNS/flow" --bf16 --batch 128 --save-minutes 100 --init-from flow --epochs ${E[3]} --lr 2.8e-4 --p-uncond 0.5
  T flow --out "$RUNS/flow" --bf16 --batch 128 --save-minutes 100 --init-from flow --epochs ${E[4]} --lr 1.4e-4 --p-uncond 0.8
  T flow --out "$RUNS/flow" --bf16 --batch 128 --save-minutes 100 --init-from flow --epochs ${E[5]} --lr 7e-5 --p-uncond 0.95
  echo "flow trained, $(left) s left"
  # reflow gets what is left but two minutes for the three evaluations
  T reflow --out "$RUNS/flow" --bf16 --pairs /tmp/reflow_pairs.npz --n-pairs $NP --pair-steps $PS --pair-chunk $CH \
    --epochs $RE --max-minutes $(python -c "print(max(0.2, ($(left) - 170) / 60))")
  echo "reflow trained, $(left) s left"
  set +e
  timeout $(( ($(left) - 10) / 2 )) python -m explainer.train reflow --data-dir "$DATA" --out "$RUNS/flow" --evaluate $N
  timeout $(( $(left) - 5 )) python -m explainer.train flow --data-dir "$DATA" --out "$RUNS/flow" --evaluate $N --eval-steps 10
  echo "A done, $(left) s left"
) > "$RUNS/flow.log" 2>&1 &
wait
