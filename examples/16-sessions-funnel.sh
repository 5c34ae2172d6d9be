#!/bin/sh
# Sessions and funnels.  A user's page views, carts and purchases less
# than five minutes apart make a session, whose record says when it
# started and ended, how many events it had and what they began and
# ended with.  The same stream as a funnel: per tenant and quarter hour,
# how many users who viewed a page put something in a cart and then
# bought within ten minutes.
set -eu
cd "$(dirname "$0")"
gen=${RTA_BIN:+$RTA_BIN/}rta-gen
window=${RTA_BIN:+$RTA_BIN/}rta-window
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

"$gen" --seed 16 --count 6000 --tenants 2 --users 200 --eps 5 \
    --disorder 20s --types page_view=6,add_to_cart=3,purchase=1 \
    >"$tmp/events.ndjson"

echo "# sessions per user: how many, and the longest"
"$window" --session 5m --by tenant_id,payload.user_id \
    --agg count,first:payload.url --max-delay 30s \
    "$tmp/events.ndjson" >"$tmp/sessions.ndjson"
jq -s '[.[] | select(."$rta" == "aggregate")] | length' \
    "$tmp/sessions.ndjson"
jq -s -c '[.[] | select(."$rta" == "aggregate")] | max_by(.session.duration)
    | {start, "end": .end, user: .group."payload.user_id", session}' \
    "$tmp/sessions.ndjson"

echo "# funnel: users per step and conversion, t0000's first three quarters"
"$window" --tumbling 15m --funnel page_view,add_to_cart,purchase \
    --within 10m --user payload.user_id --max-delay 30s \
    "$tmp/events.ndjson" >"$tmp/funnel.ndjson"
jq -c 'select(."$rta" == "aggregate" and .tenant_id == "t0000")
    | {start, users: .results.funnel.users,
       conversion: [.results.funnel.conversion[] * 1000 | round / 1000]}' \
    "$tmp/funnel.ndjson" | head -3
