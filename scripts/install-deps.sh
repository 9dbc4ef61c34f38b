#!/usr/bin/env bash
# Installs what BertBench's build and tests need on Debian 12 (run as root or with sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
  build-essential cmake ninja-build pkg-config \
  qt6-base-dev libqt6charts6-dev libqt6svg6-dev libgl-dev \
  nlohmann-json3-dev libopenblas-dev \
  xvfb xauth fonts-dejavu-core
