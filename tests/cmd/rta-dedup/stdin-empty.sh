# '-' is stdin; empty input gives empty output.
rta-dedup - <"$DATA/dedup/dups.ndjson" | wc -l
rta-dedup </dev/null
echo "empty: exit $?"
