#!/bin/sh
# Install the Debian packages Zhengtong needs when they are missing.
#   scripts/ensure-system-packages.sh run    npm (front-end packages are installed from the npm registry)
#   scripts/ensure-system-packages.sh test   also Chromium for the browser tests, gettext for the
#                                           translation check, poppler-utils and CJK fonts
set -e
mode=${1:-test}
missing=""
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ "$mode" = test ]; then
    command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
    command -v xgettext >/dev/null 2>&1 || missing="$missing gettext"
    command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
    [ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing="$missing fonts-noto-cjk"
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "zhengtong: please install these Debian packages:$missing" >&2
    exit 1
fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
echo "zhengtong: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
