# A symbolic link in the store where a partition's directory would go
# (the dataset, a tenant, or the partition itself) is never followed:
# restore refuses with exit 2 before anything is written, and nothing
# appears outside the store.
P=tenant_id=acme/year=2026/month=1/day=1
mkdir -p src/ev/$P
printf 'data' >src/ev/$P/part-00000.parquet
rta-store archive --cold src --before 2026-02-01 -o a.tar 2>/dev/null
mkdir outside
printf 'sentinel' >outside/sentinel
snap() { (find cold outside -printf '%y %p %l\n' | sort); }
for link in ev ev/tenant_id=acme ev/tenant_id=acme/year=2026/month=1/day=1; do
	rm -rf cold
	mkdir -p "cold/$(dirname $link)"
	ln -s "$PWD/outside" "cold/$link"
	: >cold/.rta-lock
	snap >before
	rta-store restore --cold cold a.tar 2>&1
	echo "[$link] exit $?"
	snap | cmp -s before - && echo "  nothing changed"
done
echo "-- a file in the way"
rm -rf cold
mkdir -p cold/ev
printf 'x' >cold/ev/tenant_id=acme
rta-store restore --cold cold a.tar 2>&1
echo "exit $?"
