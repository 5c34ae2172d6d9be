# --on may name an envelope field; the key column defaults to its name.
printf 'tenant_id,region\nacme,eu\n' >tenants.csv
rta-enrich --ref tenants.csv --on tenant_id --prefix '' \
    "$DATA/enrich/events.ndjson" | jq -c '[.tenant_id, .payload.region]'
