# --ack-fd N: after each commit, one line on descriptor N,
# {"commit":SEQ,"handled":H,"stored":S}: SEQ goes up by one, H (records
# read, bad ones included) never goes down, S is the dataset's total;
# the last line's H is every record read.  Input that pauses (a pipe)
# is committed and acknowledged as it comes.
check() {
	# $1 ack file, $2 records read, $3 records stored in all
	awk -v n="$2" -v s="$3" '
	!/^\{"commit":[0-9]+,"handled":[0-9]+,"stored":[0-9]+\}$/ { bad++; next }
	{ split($0, f, /[:,}]/); c = f[2]; h = f[4]; t = f[6] }
	NR == 1 { c0 = c }
	NR > 1 && (c != pc + 1 || h < ph || t < pt) { bad++ }
	{ pc = c; ph = h; pt = t }
	END {
		printf "%s, first commit %s, last: handled %s (%s), stored %s (%s)\n",
		    (bad ? bad " bad lines" : "lines well formed"),
		    (c0 > 1 ? "> 1" : c0), ph,
		    (ph == n ? "all read" : "NOT all read"), pt,
		    (pt == s ? "the total" : "NOT the total")
	}' "$1"
}
rta-gen -s 36 -c 20000 >in.ndjson
rta-store init -s st
rta-store ingest -s st -d ev --sync-every 1000r --ack-fd 3 in.ndjson 3>ack1
echo "file: exit $?"
check ack1 20000 20000
[ "$(wc -l <ack1)" -ge 20 ] && echo "at least one line per 1000 records"
echo "-- again: all duplicates, still acknowledged"
rta-store ingest -s st -d ev --sync-every 5000r --ack-fd 3 in.ndjson 3>ack2
echo "exit $?"
check ack2 20000 20000
echo "-- bad records count as handled"
rta-gen -s 37 -c 3000 --malformed 0.05 >bad.ndjson 2>/dev/null
rta-store ingest -s st -d ev --sync-every 500r --ack-fd 3 -q bad.ndjson 3>ack3
echo "exit $?"
check ack3 "$(wc -l <bad.ndjson)" "$(rta-store cat -s st -d ev -o ndjson | wc -l)"
echo "-- a pipe that pauses: acknowledged as it comes"
rta-gen -s 38 -c 2000 -o rta >slow.rta
# three pieces, split anywhere, with pauses far longer than a commit
# interval between them
n=$(wc -c <slow.rta)
{ head -c $((n / 3)) slow.rta; sleep 0.4
  head -c $((2 * n / 3)) slow.rta | tail -c +$((n / 3 + 1)); sleep 0.4
  tail -c +$((2 * n / 3 + 1)) slow.rta; } |
    rta-store ingest -s st -d slow --ack-fd 3 3>ack4
echo "exit $?"
check ack4 2000 2000
[ "$(wc -l <ack4)" -ge 3 ] && echo "more than one commit"
echo "-- descriptor 1 works too"
rta-store ingest -s st -d one --ack-fd 1 in.ndjson >ack5
echo "exit $?"
check ack5 20000 20000
