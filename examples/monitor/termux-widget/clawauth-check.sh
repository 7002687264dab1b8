#!/bin/sh
# Termux:Widget shortcut: copy to ~/.shortcuts/ (chmod +x) and tap it to see the credential check.
# Shows a toast with termux-toast (termux-api) when installed, else prints to the widget's terminal.
out=$(clawauth models status --check --quiet 2>&1)
code=$?
[ "$code" = 0 ] && out="clawauth: all credentials OK"
if command -v termux-toast >/dev/null 2>&1; then
  printf '%s\n' "$out" | termux-toast -g top
else
  printf '%s\n' "$out"
fi
exit "$code"
