# --valid-from/--valid-to: the row valid at the event's timestamp
# (from <= ts < to; an empty bound is open).
rta-enrich --ref "$DATA/enrich/prices.csv" --on payload.sku \
    --valid-from from --valid-to to --prefix list_ \
    "$DATA/enrich/events.ndjson" | jq -c '[.event_id, .timestamp, .payload.list_price]'
