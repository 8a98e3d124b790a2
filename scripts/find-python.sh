#!/bin/sh
# Print the path of the first Python >= 3.12 on this machine: python3.13, python3.12, then python3,
# then interpreters kept by pyenv or uv whose shims are not active. Exits 1 when there is none.
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for cand in python3.13 python3.12 python3; do
    if command -v "$cand" >/dev/null 2>&1 && ok "$cand"; then command -v "$cand"; exit 0; fi
done
for cand in "$HOME"/.pyenv/versions/3.13*/bin/python3 "$HOME"/.pyenv/versions/3.12*/bin/python3 \
            /root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3 \
            /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do
    if [ -x "$cand" ] && ok "$cand"; then echo "$cand"; exit 0; fi
done
echo "zhengtong: Python 3.12 or newer is required (looked for python3.13, python3.12, python3)" >&2
exit 1
