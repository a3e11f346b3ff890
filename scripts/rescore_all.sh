#!/usr/bin/env bash
# Re-measures every card figure that quotes the judge, with the judge now in pretrained/ (run it after the judge
# changes; judge numbers are comparable only with one judge). Two lanes side by side, one torch thread each;
# about an hour on a 2-core CPU, most of it ddpm's 30,000 DDIM-50 samples.
# Usage: scripts/rescore_all.sh DATA_DIR LOG_DIR
set -u
DATA=$1 LOGS=$2
export PYTHONUNBUFFERED=1 EXPLAINER_THREADS=${EXPLAINER_THREADS:-1}
T() { python -m explainer.train "$@" --data-dir "$DATA"; }
mkdir -p "$LOGS"
(   # light cards first, then the longest evaluation
  set -e
  T gan --rescore && T gan_collapsed --rescore && T ae --rescore && T vae --rescore && T ldm_vae --rescore
  T ddpm --evaluate 10000 --eval-eta 1
  echo "lane A done"
) > "$LOGS/rescore_a.log" 2>&1 &
(
  set -e
  T flow --evaluate 2000 --eval-steps 10
  T reflow --evaluate 10000
  T ldm --evaluate 10000 --eval-steps 20
  echo "lane B done"
) > "$LOGS/rescore_b.log" 2>&1 &
wait
tail -n 1 "$LOGS"/rescore_*.log
