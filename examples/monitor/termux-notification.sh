#!/bin/sh
# Android notification on Termux (pkg install termux-api, plus the Termux:API app).
exec termux-notification --id clawauth-check --title "Clawauth credentials" \
  --content "$CLAWAUTH_CHECK_SUMMARY" --priority high
