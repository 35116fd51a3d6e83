#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks: the C libraries GoldenGrain links against and a
# Python venv with the pinned end-to-end test tools. Safe to run again: it skips what is present.
set -euo pipefail
cd "$(dirname "$0")/.."

# libcurl4: FoundationNetworking (peer sync's HTTP client) links it; Swift's Debian images carry it, this says so.
packages=(libssl-dev libsecp256k1-dev libleveldb-dev libsnappy-dev libcurl4 python3-venv pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] || [ "${GOLDENGRAIN_FORCE_APT:-0}" = 1 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "deps: installing ${missing[*]:-${packages[*]}}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
fi

# The venv is rebuilt when the pinned requirements change.
stamp=.venv/.requirements.sha256
want=$(sha256sum Tests/e2e/requirements.txt | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "deps: creating .venv with Tests/e2e/requirements.txt"
  python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip >/dev/null
  .venv/bin/pip install -q -r Tests/e2e/requirements.txt
  echo "$want" > "$stamp"
fi
echo "deps: ready"
