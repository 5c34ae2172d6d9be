# Operands: '-' is stdin, empty input is fine, a missing file between two
# good ones is reported (exit 3) and the others still read.
head -1 "$DATA/enrich/events.ndjson" >one.ndjson
: >empty.ndjson
rta-enrich --ref "$DATA/enrich/users.csv" --on payload.user_id \
    --fields name one.ndjson nosuch.ndjson - empty.ndjson <one.ndjson
echo "exit $?"
