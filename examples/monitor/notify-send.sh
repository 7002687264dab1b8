#!/bin/sh
# Desktop notification (libnotify). Use with:
#   clawauth monitor install --notify "$PWD/examples/monitor/notify-send.sh"
# A systemd user service sees your desktop session's bus once it is imported
# (most desktops do: systemctl --user show-environment | grep DBUS_SESSION_BUS_ADDRESS).
urgency=normal
[ "${CLAWAUTH_CHECK_EXIT:-1}" = 1 ] && urgency=critical
exec notify-send --urgency="$urgency" --app-name=clawauth "Clawauth credentials" "$CLAWAUTH_CHECK_SUMMARY"
