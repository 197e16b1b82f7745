#!/bin/sh
# /usr/bin/hall-kiosk — the technician's command (doctor, config check, secrets, backup, restore, version).
: "${KIOSK_CONFIG:=/etc/hall-kiosk/site.json}"
export KIOSK_CONFIG
if [ -z "${KIOSK_SECRETS_FILE:-}" ] && [ -r /etc/hall-kiosk/secrets.env ]; then
    KIOSK_SECRETS_FILE=/etc/hall-kiosk/secrets.env
    export KIOSK_SECRETS_FILE
fi
here=$(dirname "$(readlink -f "$0")")
app="$here/../lib/hall-kiosk"
exec node "$app/dist/server/cli.js" "$@"
