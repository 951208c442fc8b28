#!/usr/bin/env bash
# Debian packages the product needs beyond Python, installed only when missing:
#   fonts-noto-cjk   Noto Sans CJK (SIL OFL): Chinese in charts and PDF reports
#   libpango*        text layout for WeasyPrint (PDF reports)
#   libharfbuzz-subset0  fast font subsetting for WeasyPrint
# and, with --test, what the test suite drives:
#   chromium         headless browser checks of the built site
#   poppler-utils    pdftoppm / pdffonts for looking at reports
set -euo pipefail

packages=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium poppler-utils)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install these packages with your system's package manager: ${missing[*]}" >&2
  exit 1
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "Need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "Installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
