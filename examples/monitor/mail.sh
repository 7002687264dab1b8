#!/bin/sh
# Mail the summary with mail(1) (mailutils, bsd-mailx, s-nail).
#   CLAWAUTH_MAILTO=you@example.com   (put it in <state>/.env for the service)
: "${CLAWAUTH_MAILTO:?set CLAWAUTH_MAILTO to the address to mail}"
printf '%s\n\nDetails: clawauth models status\n' "$CLAWAUTH_CHECK_SUMMARY" |
  mail -s "clawauth check: exit ${CLAWAUTH_CHECK_EXIT:-?} (agent ${CLAWAUTH_AGENT:-main})" "$CLAWAUTH_MAILTO"
