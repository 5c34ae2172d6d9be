# Kafka positions: the resume offset is the one after the last handled.
rta-cat --from kcat-json -o rta "$DATA/kcat.ndjson" >in.rta 2>/dev/null
rm -rf st
rta-dedup --state st in.rta >/dev/null 2>&1
rta-dedup offsets --state st
rta-dedup offsets --state st --format json
