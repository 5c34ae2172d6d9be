# Every metric of examples/ops/alerts.rules.yml is one that rta writes,
# with the labels the rules use: the names are taken from the rules'
# expressions and looked up in real output, the metrics files of a run
# of examples/pipeline.sh and rta-query --http's /metrics over them.
# (promtool is not at hand to check the expressions themselves.)
ex=$TESTS/../examples
rta-gen -s 3 -c 5000 --tenants 3 --malformed 0.01 --late 0.02 >in.ndjson
sh "$ex/pipeline.sh" -s st -w work in.ndjson
echo "pipeline.sh: exit $?"
set -- $(for f in work/*.prom; do echo "--metrics-file $f"; done)
printf 'GET /metrics HTTP/1.1\r\nHost: rta\r\nConnection: close\r\n\r\n' |
    rta-query --http -s st "$@" | tr -d '\r' | sed '1,/^$/d' >scrape.prom
cat work/*.prom scrape.prom | grep -v '^#' >all.prom

# the expressions, then the words in them that name rta's series
awk '/^ *expr: >/ { m = 1; next }
    m && /^ *[a-z]+:/ { m = 0 }
    m { print }
    /^ *expr: / { sub(/^ *expr: */, ""); print }' \
    "$ex/ops/alerts.rules.yml" >exprs
grep -o 'rta_[a-z0-9_]*' exprs | sort -u >names
for n in $(cat names); do
	if grep -q "^$n[{ ]" all.prom; then
		echo "$n: written"
	else
		echo "$n: MISSING"
	fi
done
echo "# the labels the rules select, group by and print"
grep -oE '[a-z_]+(!=|=~|!~|=)"' exprs | sed 's/[!=~"]*$//' | sort -u >labels
grep -o 'by ([a-z_, ]*)' exprs | sed 's/by (//; s/)//; s/, */\n/g' |
    sort -u >>labels
grep -o '\$labels\.[a-z_]*' "$ex/ops/alerts.rules.yml" |
    sed 's/.*\.//' >>labels
for l in $(sort -u labels); do
	if [ "$l" = instance ]; then
		echo "$l: Prometheus's own"
	elif grep -q "[{,]$l=\"" all.prom; then
		echo "$l: written"
	else
		echo "$l: MISSING"
	fi
done
