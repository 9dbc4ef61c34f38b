#!/usr/bin/env bash
# Installs what BertBench's build and tests need on a bare Debian 12 (run as root or with sudo).
# scripts/fresh-machine-check.sh proves the list on a clean root: a package missing here fails it.
#   libqt6opengl6-dev  Qt6Charts' CMake package requires Qt6OpenGL
#   python3            the torch:* backends' worker and the tests' protocol-faithful fake worker
#   libicu-dev         the tokenizers' Unicode data (categories, NFD, lower-casing)
#   libsentencepiece-dev  SentencePiece checkpoints' tokenizer (XLM-R, CamemBERT)
#   help2man           the man pages, generated from each binary's --help at build time
#   file               `cpack -G DEB` (CPACK_DEBIAN_PACKAGE_SHLIBDEPS finds the binaries with it;
#                      dpkg-shlibdeps itself comes with build-essential's dpkg-dev)
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
  build-essential cmake ninja-build pkg-config \
  qt6-base-dev libqt6charts6-dev libqt6opengl6-dev libqt6svg6-dev libgl-dev \
  nlohmann-json3-dev libopenblas-dev libicu-dev libsentencepiece-dev \
  python3 xvfb xauth fonts-dejavu-core \
  help2man file
