# --duplicates F re-sends that fraction of records: exact copies of recent
# events; the distinct events are all different.
rta-gen -c 2000 --duplicates 0.2 --stats >o
echo "exit $?"
echo "lines: $(wc -l <o), distinct: $(sort -u o | wc -l), distinct ids: $(sed 's/^{"event_id":"\([^"]*\)".*/\1/' o | sort -u | wc -l)"
rta-gen -c 2000 -o rta --duplicates 0.2 --stats >o.rta
rta-cat -o ndjson o.rta >o2
echo "rta: $(wc -l <o2) events, $(sort -u o2 | wc -l) distinct"
