#!/bin/sh
# Push the summary to an ntfy topic (or any webhook that takes a POSTed text body).
#   NTFY_URL=https://ntfy.sh/<your-secret-topic>   (put it in <state>/.env for the service)
: "${NTFY_URL:?set NTFY_URL to your ntfy topic URL, e.g. https://ntfy.sh/my-topic}"
priority=default
[ "${CLAWAUTH_CHECK_EXIT:-1}" = 1 ] && priority=high
exec curl -fsS -m 20 -H "Title: Clawauth credentials" -H "Priority: $priority" \
  --data-binary "$CLAWAUTH_CHECK_SUMMARY" "$NTFY_URL" >/dev/null
