#!/bin/sh
# Install the Debian packages the test suite needs when they are missing: Chromium for the browser
# tests, gettext for the translation check, poppler-utils for reading PDFs, fonts for CJK pages.
set -e
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v xgettext >/dev/null 2>&1 || missing="$missing gettext"
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing="$missing fonts-noto-cjk"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "zhengtong: please install these Debian packages:$missing" >&2
    exit 1
fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
echo "zhengtong: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
