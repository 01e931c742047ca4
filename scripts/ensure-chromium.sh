#!/bin/sh
# Browser tests drive Debian's Chromium through Playwright; install it when missing.
set -e
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
else
    echo "warning: /usr/bin/chromium is missing; install Debian's 'chromium' package to run browser tests" >&2
fi
