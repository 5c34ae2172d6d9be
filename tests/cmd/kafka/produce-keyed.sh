# Producing through kcat keyed by tenant (rta-cat --kafka-key tenant_id
# into kcat -P -K '\t'): every message arrives, each tenant's messages on
# one partition, in the order they were produced.
. "$TESTS/kafka/kafka.sh"
start_mock -b 3 -t events:4

rta-gen -s 5 -c 3000 -t 12 >in.ndjson
rta-cat --kafka-key tenant_id in.ndjson >keyed.txt
echo "rta-cat: exit $?"
kcat -P $KP -t events -K '\t' <keyed.txt
echo "kcat -P: exit $?"
kcat -C $KC -t events -o beginning -e -f '%p\t%k\t%s\n' >got.txt
echo "kcat -C: exit $?"
echo "$(wc -l <got.txt) messages back"

# the value is the event as it was, the key its tenant_id
awk -F'\t' '{ print $3 }' got.txt | sort >got.sorted
sort in.ndjson | cmp - got.sorted && echo "the same events"
awk -F'\t' '{ if (index($3, "\"tenant_id\":\"" $2 "\"") == 0) bad++ }
    END { print bad + 0, "messages keyed by another tenant" }' got.txt
echo "-- tenant, its partition, its messages"
awk -F'\t' '{ n[$2 " " $1]++ } END { for (k in n) print k, n[k] }' got.txt |
    sort >placement
cat placement
awk '{ print $1 }' placement | uniq -d | awk 'END { print NR,
    "tenants on more than one partition" }'
# within a partition, each tenant's messages keep their produced order
for t in $(awk '{ print $1 }' placement); do
	grep "\"tenant_id\":\"$t\"" in.ndjson >want.$t
	awk -F'\t' -v t="$t" '$2 == t { print $3 }' got.txt | cmp -s - want.$t ||
	    echo "$t: out of order"
done
echo "each tenant in order"
stop_mock
echo "mock-kafka: exit $?"
