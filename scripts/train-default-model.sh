#!/usr/bin/env bash
# Reproduces resources/models/default: generate the training scenes, train the small CNN on CPU
# (or CUDA when present), copy the ONNX model and its manifest into resources/. About 25 minutes
# on 2 CPU cores. PYTHON may name an interpreter with torch (Debian: /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
work=build/default-model
data_command="npm run scenes -- --out $work/scenes --count 6000 --seed 1001"
if [ ! -f "$work/scenes/manifest.jsonl" ]; then
  npm run --silent scenes -- --out "$work/scenes" --count 6000 --seed 1001
fi
"$PYTHON" resources/trainer/train.py --data "$work/scenes" --out "$work/run40" --epochs 40 --batch-size 32 --lr 0.002 \
  --seed 7 --name default --version 1.0.0 --checkpoint-every 200 --log-every 20 --data-command "$data_command"
mkdir -p resources/models/default
cp "$work/run40/model.onnx" "$work/run40/model.json" resources/models/default/
echo "resources/models/default updated"
