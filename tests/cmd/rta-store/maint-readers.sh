# Readers while compaction and retention run: 200 rounds of
# maintenance, each re-ingesting one day's window records (new versions
# of records already kept, in a new generation of a closed bucket's log)
# and a record far in the past, then compacting (which rewrites that
# day's segment and removes the logs it covers) and retaining (which
# retires the old bucket).  Meanwhile readers read the whole dataset
# again and again: every read must succeed and see the same records,
# whatever the maintenance is doing at that moment.
rta-gen -s 61 --tenants 2 --eps 1 -d 3d --start 2026-11-20T00:00:00Z \
    -o rta >ev.rta
rta-window --tumbling 1m --by tenant_id,event_type --agg count \
    -o rta ev.rta >agg.rta
# the first day's records again, and one record from 2020
rta-cat -o ndjson agg.rta | grep '"start":"2026-11-20' >day1.ndjson
rta-cat -o ndjson agg.rta | head -1 |
    sed 's/"start":"2026-11-2[0-9]T/"start":"2020-01-01T/;
         s/"end":"2026-11-2[0-9]T/"end":"2020-01-01T/' >old.ndjson
rta-store init -s st
rta-store ingest -s st -d m --close-after 0 agg.rta
rta-store compact -s st >/dev/null
want=$(rta-store cat -s st -d m --from 2026-01-01 -o ndjson | sort | cksum)
echo "records: $(rta-store cat -s st -d m -o ndjson | wc -l)"
(
	i=0
	while [ $i -lt 200 ]; do
		i=$((i + 1))
		rta-store ingest -s st -d m --close-after 0 --max-new-buckets 0 \
		    day1.ndjson old.ndjson ||
		    echo "round $i: ingest failed" >>maint.err
		rta-store compact -s st -d m >/dev/null 2>>maint.err ||
		    echo "round $i: compact failed" >>maint.err
		RTA_NOW=2026-11-26T00:00:00Z rta-store retain -s st -d m \
		    --days 30 >/dev/null 2>>maint.err ||
		    echo "round $i: retain failed" >>maint.err
	done
	touch maint.done
) &
reads=0 bad=0
while [ ! -f maint.done ]; do
	got=$(rta-store cat -s st -d m --from 2026-01-01 -o ndjson 2>>read.err |
	    sort | cksum)
	reads=$((reads + 1))
	[ "$got" = "$want" ] || bad=$((bad + 1))
done
wait
[ $reads -ge 20 ] && echo "readers: at least 20 reads" ||
    echo "readers: only $reads reads"
echo "reads that differed: $bad"
echo "read errors: $(wc -l <read.err 2>/dev/null || echo 0)"
cat maint.err 2>/dev/null
rta-store fsck -s st | sed 's/[0-9]* records, [0-9]* bytes/N records/'
# the old bucket is retired, no covered log is left, and 2020 is gone
ls st/m | grep -c 'log$'
rta-store cat -s st -d m --to 2021-01-01 -o ndjson | wc -l
