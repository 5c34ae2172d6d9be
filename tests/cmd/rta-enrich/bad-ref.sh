# A bad reference file stops the start with FILE:LINE: what, exit 2; a
# missing one exits 3.  No input is read.
printf 'user_id,name\nu1,a\nu2,b,c\n' >ragged.csv
printf 'user_id,name\nu1,a\nu2,b\nu1,c\n' >dup.csv
printf 'user_id,name\nu1,a\nu2,\377\n' >utf8.csv
printf 'id,name\nu1,a\n' >nokey.csv
printf 'user_id,name\nu1,a\n,b\n' >emptykey.csv
printf '{"user_id":"u1"}\n{"user_id":"u1"}\n' >dup.ndjson
printf 'sku,from,to\nA,yesterday,\n' >time.csv
for f in ragged.csv dup.csv utf8.csv nokey.csv emptykey.csv dup.ndjson \
    nosuch.csv; do
	rta-enrich --ref $f --on payload.user_id </dev/null
	echo "exit $?"
done
rta-enrich --ref time.csv --on payload.sku --valid-from from --valid-to to \
    </dev/null
echo "exit $?"
