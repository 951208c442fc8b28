#!/usr/bin/env bash
# Debian/Ubuntu packages the product needs beyond Python, installed only when missing.
# It waits for another package manager (apt, unattended-upgrades) to finish rather than
# failing on its lock: up to MXT_APT_WAIT seconds (default 900).
#   --test   also what the test suite drives (Chromium, poppler).
set -euo pipefail

declare -A why=(
  [fonts-noto-cjk]="Noto Sans CJK: Chinese text in charts and PDF reports"
  [fontconfig]="finds the installed fonts (fc-list)"
  [libpango-1.0-0]="text layout for the PDF reports (WeasyPrint)"
  [libpangoft2-1.0-0]="font rendering for the PDF reports (WeasyPrint)"
  [libharfbuzz-subset0]="fast font subsetting: smaller, faster PDF reports"
  [chromium]="headless browser checks of the built site (tests)"
  [poppler-utils]="pdftotext / pdftoppm to read and look at the reports (tests)"
  [git]="the change log and --rev read the git history"
  [postgresql]="a real PostgreSQL server the mxt pull tests start on 127.0.0.1 (tests)"
)
packages=(fonts-noto-cjk fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 git)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium poppler-utils postgresql)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "mxt needs these system packages:"
for p in "${missing[@]}"; do
  printf '  %-22s %s\n' "$p" "${why[$p]}"
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "This is not a Debian or Ubuntu system: install the packages above (or their" \
       "equivalents) with your package manager, then run this again." >&2
  exit 1
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "Need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi

wait_limit=${MXT_APT_WAIT:-900}
deadline=$((SECONDS + wait_limit))
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# apt-get waits for the dpkg lock itself (DPkg::Lock::Timeout); `update` does not wait for
# the package lists' lock, so a run that meets a lock held by another package manager is
# retried until the deadline, saying so.
apt() {
  local said=0
  while true; do
    if DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout="$wait_limit" \
        "$@" >"$log" 2>&1; then
      return 0
    fi
    if grep -qiE "could not get lock|unable to lock|is held by process|lock-frontend" "$log" \
        && ((SECONDS < deadline)); then
      if ((said == 0)); then
        echo "Another package manager is running (apt lock held): waiting for it to finish" \
             "(up to ${wait_limit} s; MXT_APT_WAIT changes that)…"
        said=1
      fi
      sleep 5
      continue
    fi
    cat "$log" >&2
    echo "apt-get $1 failed (see above). Install the packages yourself with:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    return 1
  done
}

echo "Installing with apt-get (a minute or two)…"
apt update -qq
apt install -y -qq --no-install-recommends "${missing[@]}"
echo "Installed: ${missing[*]}"
