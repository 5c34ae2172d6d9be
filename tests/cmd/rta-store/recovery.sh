# What a crash leaves after the last commit is cut at the next writer's
# open, and said on stderr: random bytes after the commit file's last
# record and after a log's committed length, a log no commit names, a
# leftover temporary commit file.  Readers never see any of it: cat is
# the same before and after, and with the bytes still there.
rta-gen -s 33 -c 3000 --eps 0.1 --tenants 4 >in.ndjson	# 10 s apart: 2 buckets
rta-store init -s st
rta-store ingest -s st -d ev --bucket 6h in.ndjson
ls st/ev
rta-store cat -s st -d ev -o ndjson >before
junk() { perl -e 'srand($ARGV[0]); print map { chr int rand 256 } 1 .. $ARGV[1]' "$@"; }
sizes() { ls -l st/ev | awk '/log$/ { printf "%s %s, ", $9, $5 }'; echo; }
sizes
newest=$(ls st/ev | grep 'log$' | tail -1)
junk 1 37 >>st/ev/commits
junk 2 50 >>"st/ev/$newest"
junk 3 100 >st/ev/20260102T0000.1.log
junk 4 20 >st/ev/commits.tmp
rta-store cat -s st -d ev -o ndjson | cmp - before && echo "cat with the junk: the same"
rta-store ingest -s st -d ev </dev/null
echo "ingest: exit $?"
sizes
ls st/ev
rta-store cat -s st -d ev -o ndjson | cmp - before && echo "cat after: the same"
rta-store fsck -s st >fsck
echo "fsck: exit $?, $(grep -c uncommitted fsck) uncommitted"
rta-store ingest -s st -d ev </dev/null
echo "nothing to cut: exit $?"
echo "-- a commit record cut short, junk that starts like one"
head -c 100 st/ev/commits >half
cat half >>st/ev/commits
rta-store ingest -s st -d ev </dev/null
{ printf 'RTAC'; junk 5 60; } >>st/ev/commits
rta-store ingest -s st -d ev </dev/null
rta-store cat -s st -d ev -o ndjson | cmp - before && echo "cat: the same"
echo "-- then ingest goes on"
rta-gen -s 34 -c 500 --eps 0.1 --start 2026-01-01T08:00:00Z >more.ndjson
junk 6 64 >>st/ev/commits
junk 7 64 >>"st/ev/$newest"
rta-store ingest -s st -d ev more.ndjson
echo "ingest: exit $?"
rta-store cat -s st -d ev -o ndjson | sort >got
sort in.ndjson more.ndjson | cmp - got && echo "both inputs, once each"
