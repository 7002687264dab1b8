#!/bin/sh
# Push the summary to an ntfy topic (or any webhook that takes a POSTed text body).
#   NTFY_URL=https://ntfy.sh/<your-secret-topic>   (put it in <state>/.env for the service)
# The URL reaches curl as a config on stdin, not as an argument: a secret topic or a token in it
# would otherwise show in `ps` for every user of the machine.
: "${NTFY_URL:?set NTFY_URL to your ntfy topic URL, e.g. https://ntfy.sh/my-topic}"
priority=default
[ "${CLAWAUTH_CHECK_EXIT:-1}" = 1 ] && priority=high
# printf is a shell builtin, so the URL is on no command line here either.
escaped=$(printf '%s' "$NTFY_URL" | sed 's/[\\"]/\\&/g')
printf 'url = "%s"\n' "$escaped" | curl -K - -fsS -m 20 -H "Title: Clawauth credentials" \
  -H "Priority: $priority" --data-binary "$CLAWAUTH_CHECK_SUMMARY" >/dev/null
