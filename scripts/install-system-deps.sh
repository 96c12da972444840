#!/usr/bin/env bash
# Installs the Debian packages docgen needs, only those missing.
#   fonts: the free Chinese faces the PDF embeds (Fandol from texlive-lang-chinese, AR PL, WenQuanYi)
#   test:  fonts + LibreOffice (to render our DOCX for measurement) + poppler (pdftoppm)
#          + Chromium and its driver (to load and print the HTML notice)
#          + Node and npm, then the Open XML SDK's validator from package-lock.json (npm ci)
set -euo pipefail
cd "$(dirname "$0")/.."
want=(texlive-lang-chinese fonts-arphic-uming fonts-arphic-ukai fonts-wqy-microhei fontconfig)
if [ "${1:-fonts}" = "test" ]; then
  want+=(libreoffice-writer-nogui poppler-utils chromium chromium-driver nodejs)
  # Debian packages npm apart from nodejs; other builds of nodejs bring their own.
  command -v npm >/dev/null || want+=(npm)
fi
missing=()
for package in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# npm ci again only when the lock file changed since the last install.
if [ "${1:-fonts}" = "test" ] && ! [ node_modules/.package-lock.json -nt package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
