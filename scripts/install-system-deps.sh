#!/usr/bin/env bash
# Installs the Debian packages docgen needs, only those missing.
#   fonts: the free Chinese faces the PDF embeds (Fandol from texlive-lang-chinese, AR PL, WenQuanYi)
#   test:  fonts + LibreOffice (to render our DOCX for measurement) + poppler (pdftoppm)
#          + Chromium and its driver (to load and print the HTML notice)
set -euo pipefail
want=(texlive-lang-chinese fonts-arphic-uming fonts-arphic-ukai fonts-wqy-microhei fontconfig)
if [ "${1:-fonts}" = "test" ]; then
  want+=(libreoffice-writer-nogui poppler-utils chromium chromium-driver)
fi
missing=()
for package in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
