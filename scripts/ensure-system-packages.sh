#!/bin/sh
# Install the Debian packages Zhengtong needs when they are missing.
#   scripts/ensure-system-packages.sh run    npm (front-end packages are installed from the npm registry)
#                                           and what PDF rendering needs: Pango, HarfBuzz's subsetter,
#                                           CJK fonts (Noto CJK and the Fandol fonts of TeX Live)
#   scripts/ensure-system-packages.sh test   also Chromium for the browser tests, gettext for the
#                                           translation check, poppler-utils (pdfsig),
#                                           SoftHSM2 and NSS's certutil for the seal tests
set -e
mode=${1:-test}
missing=""
# have_lib NAME: a shared library is installed (multiarch or plain lib directories)
have_lib() {
    for path in /usr/lib/*/"$1" /usr/lib/"$1" /usr/lib64/"$1"; do
        [ -e "$path" ] && return 0
    done
    return 1
}
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
# PDF rendering of official documents (WeasyPrint, docs/rendering.md): `make run`'s demo renders too.
have_lib libpango-1.0.so.0 || missing="$missing libpango-1.0-0"
have_lib libpangoft2-1.0.so.0 || missing="$missing libpangoft2-1.0-0"
# Without HarfBuzz's subsetter WeasyPrint subsets CJK fonts with fontTools: seconds per document.
have_lib libharfbuzz-subset.so.0 || missing="$missing libharfbuzz-subset0"
[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing="$missing fonts-noto-cjk"
# FandolFang/Hei/Kai/Song: free stand-ins for 仿宋_GB2312, 黑体, 楷体 and 宋体/小标宋.
[ -e /usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf ] \
    || missing="$missing texlive-lang-chinese"
if [ "$mode" = test ]; then
    command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
    command -v xgettext >/dev/null 2>&1 || missing="$missing gettext"
    command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
    # SoftHSM2: the PKCS#11 token that stands in for a seal's USBKey/HSM in the tests (docs/seals.md).
    command -v softhsm2-util >/dev/null 2>&1 || missing="$missing softhsm2"
    # certutil: the seal tests give pdfsig an NSS database that trusts the platform's root CA.
    command -v certutil >/dev/null 2>&1 || missing="$missing libnss3-tools"
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
