#!/usr/bin/env bash
# Makes sure Debian's Chromium and ChromeDriver, which the browser integration tests drive, are installed
# (/usr/bin/chromium, /usr/bin/chromedriver); installs them with apt-get when missing. Idempotent; changes
# nothing when both are there. The tests never download a browser or a driver of their own.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
echo "Chromium or ChromeDriver missing; installing Debian's chromium and chromium-driver"
export DEBIAN_FRONTEND=noninteractive
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd="sudo"
fi
$sudo_cmd apt-get update -q
$sudo_cmd apt-get install -y -q chromium chromium-driver
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "chromium or chromedriver still missing after apt-get install" >&2
  exit 1
fi
