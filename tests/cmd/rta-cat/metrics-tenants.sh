# --metrics counts events per tenant for the first 10,000 tenants and sums
# the rest in rta_tenant_other_records_out_total; the counts add up to the
# events written; no series appears twice, even for a tenant named
# "_other".
. "$DATA/balance.inc"
{
	printf '{"event_id":"x","timestamp":1,"event_type":"t","tenant_id":"_other"}\n'
	rta-gen -c 60000 -t 30000
} >in.ndjson
rta-cat --metrics m in.ndjson >/dev/null
echo "exit $?"
balanced m
n=$(grep -c '^rta_tenant_records_out_total{' m)
[ $n = 10000 ] && echo "10,000 tenant series" || echo "$n tenant series"
grep -q '^rta_tenant_other_records_out_total{stage="rta-cat"} [1-9]' m &&
    echo "the others summed apart"
awk '/^rta_records_out_total\{/ { o = $2 }
    /^rta_tenant_(other_)?records_out_total\{/ { s += $2 }
    END { print (s == o ? "they add up to the events written" : "they add up to " s ", not " o) }' m
echo "series that appear twice: $(grep '^rta_' m | sed 's/ [^ ]*$//' | sort | uniq -d | wc -l)"
