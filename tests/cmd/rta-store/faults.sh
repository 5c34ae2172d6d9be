# I/O faults (RTA_FAULT=io:N, lib/rta_io.h): the Nth write, sync,
# truncation, reservation or rename of a run fails, for N = 1, 2, ...
# until a run meets no fault; once with EIO for that call alone, once
# with ENOSPC for it and every later one.  The run starts on a dataset
# with a torn tail to cut, or makes a new one, and writes three buckets.
# Each faulted run exits 3 (or 0 if the fault was past its last call),
# acknowledges only what was committed (after a clean recovery, the
# first H records of the input are stored, H the last "handled"), stores
# nothing twice or foreign; a clean run afterwards leaves the input,
# once each.
rta-gen -s 39 -c 200 --eps 0.03 >in.ndjson	# 33 s apart: 3 hours
head -80 in.ndjson >first.ndjson
cut -d'"' -f4 in.ndjson >ids
rta-store init -s base
rta-store ingest -s base -d ev --bucket 1h first.ndjson
printf 'torn' >>base/ev/commits
printf 'torn tail' >>base/ev/20260101T0000.1.log
sort ids >ids.sorted
stored() { rta-store cat -s s -d "$ds" -o ndjson | cut -d'"' -f4; }
# run FAULT: one faulted run and its checks; sets e (its exit status)
run() {
	rm -rf s
	cp -a base s
	RTA_FAULT=$1 rta-store ingest -s s -d "$ds" --bucket 1h --sync-every 40r \
	    --ack-fd 3 in.ndjson 3>ack 2>err
	e=$?
	case $e in
	0) ;;
	3) grep -q 'Input/output error\|No space left on device' err ||
	    { echo "$ds $1: exit 3, but: $(head -1 err)"; bad=$((bad + 1)); } ;;
	*) echo "$ds $1: exit $e: $(head -1 err)"; bad=$((bad + 1)) ;;
	esac
	h=$(tail -1 ack | sed -n 's/.*"handled":\([0-9]*\).*/\1/p')
	rta-store ingest -s s -d "$ds" </dev/null 2>/dev/null ||
	    { echo "$ds $1: recovery: exit $?"; bad=$((bad + 1)); }
	stored | sort >got.s
	lost=$(head -n "${h:-0}" ids | sort | comm -23 - got.s | wc -l)
	twice=$(uniq -d got.s | wc -l)
	foreign=$(comm -13 ids.sorted got.s | wc -l)
	if [ "$lost$twice$foreign" != 000 ]; then
		echo "$ds $1: handled ${h:-none}: $lost lost, $twice twice," \
		    "$foreign foreign"
		bad=$((bad + 1))
	fi
	rta-store ingest -s s -d "$ds" in.ndjson 2>/dev/null ||
	    { echo "$ds $1: clean run: exit $?"; bad=$((bad + 1)); }
	stored | sort | cmp -s - ids.sorted ||
	    { echo "$ds $1: after a clean run: not the input once"; bad=$((bad + 1)); }
}
sweep() {
	# $1 dataset, $2 suffix of RTA_FAULT
	ds=$1
	shift
	bad=0
	n=0
	e=3
	while [ $e != 0 ]; do
		n=$((n + 1))
		run "io:$n$1"
		[ $n -lt 500 ] || { echo "io:$n$1: no end"; break; }
	done
	echo "$ds, io:N$1: $bad bad runs; faults up to the last call:" \
	    "$([ $n -gt 20 ] && echo "more than 20")"
}
sweep ev ""
sweep ev ":persistent:28"
sweep new ""
sweep new ":persistent:28"
