#!/bin/sh
# Joining events with reference data, then privacy rules.  users.csv is
# the user profile catalog (four of the five users the generator draws);
# rta-enrich adds each event's row as payload.users and sends events whose
# user is not in it to the dead-letter file.  A table with validity
# columns gives the row valid at each event's own time, and the privacy
# rules pseudonymise the user id and keep only the country.
set -eu
cd "$(dirname "$0")"
gen=${RTA_BIN:+$RTA_BIN/}rta-gen
enrich=${RTA_BIN:+$RTA_BIN/}rta-enrich
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
export RTA_NOW=2026-03-01T10:00:00Z

"$gen" --seed 20 --count 12 --tenants 2 --users 5 \
    --types page_view=3,purchase=1 >"$tmp/events.ndjson"

echo "# joined: user, plan and country of each event; u000004 is unknown"
status=0
"$enrich" --ref data/users.csv --on payload.user_id --fields plan,country \
    --missing dead-letter --dead-letter "$tmp/dlq.ndjson" \
    <"$tmp/events.ndjson" >"$tmp/out.ndjson" 2>"$tmp/err" || status=$?
jq -r '"\(.event_type) \(.payload.user_id) \(.payload.users.plan)" +
    " \(.payload.users.country)"' "$tmp/out.ndjson"
echo "exit status $status (events were dead-lettered)"
jq -r '"dead letter: \(.reason): \(.error)"' "$tmp/dlq.ndjson"

echo "# effective-dated: u000001 moves from free to pro at 00:00:02"
"$enrich" --ref data/plans.csv --on payload.user_id --ref-key user_id \
    --valid-from valid_from --valid-to valid_to --prefix current_ \
    <"$tmp/events.ndjson" |
    jq -r 'select(.payload.user_id == "u000001" or
    .payload.user_id == "u000002") |
    "\(.timestamp[11:19]) \(.payload.user_id) \(.payload.current_plan)"'

echo "# privacy: user ids become keyed pseudonyms, joinable across runs"
printf '%s\n' "k2026 $(printf '%064d' 7)" >"$tmp/keys"
chmod 600 "$tmp/keys"
cat >"$tmp/privacy.conf" <<'RULES'
payload.user_id   pseudonymize key=k2026 length=16
payload.url       drop
RULES
"$enrich" --ref data/users.csv --on payload.user_id --fields country \
    --privacy "$tmp/privacy.conf" --keys "$tmp/keys" \
    <"$tmp/events.ndjson" | head -4 | jq -c '.payload |
    {user_id, users, url}'
