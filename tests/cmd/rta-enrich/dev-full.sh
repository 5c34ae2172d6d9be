# A failed write is exit 3; `| head -1` ends quietly.
rta-enrich --ref "$DATA/enrich/users.csv" --on payload.user_id \
    "$DATA/enrich/events.ndjson" >/dev/full
echo "exit $?"
rta-gen -c 100000 --users 3 >big.ndjson
rta-enrich --ref "$DATA/enrich/users.csv" --on payload.user_id big.ndjson |
    head -1 | jq -c .payload.user_id
