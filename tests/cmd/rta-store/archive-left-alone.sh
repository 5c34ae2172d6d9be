# What is not a partition in canonical form, or a partition holding
# anything but part-*.parquet files, is reported, left alone (not
# archived, not removed) and makes the exit status 1; symbolic links
# are never followed, not even to a partition.
part() {	# DATASET TENANT Y M D
	d=cold/$1/tenant_id=$2/year=$3/month=$4/day=$5
	mkdir -p "$d"
	printf '%s' "$1 $2 $3-$4-$5" >"$d/part-00000.parquet"
}
part ev good 2026 1 1
part ev stray 2026 1 2
printf 'notes' >cold/ev/tenant_id=stray/year=2026/month=1/day=2/README
part ev linked 2026 1 3
ln -s /etc/hostname cold/ev/tenant_id=linked/year=2026/month=1/day=3/part-00001.parquet
part ev zeros 2026 01 4
part ev badday 2026 2 30
part ev 'a%2f' 2026 1 6
mkdir -p outside/tenant_id=out/year=2026/month=1/day=5
printf 'outside' >outside/tenant_id=out/year=2026/month=1/day=5/part-00000.parquet
ln -s ../outside cold/sym
ln -s ../../outside/tenant_id=out cold/ev/tenant_id=out
printf 'x' >cold/ev/tenant_id=good/year=2026/file
mkdir cold/.hidden cold/lost+found
(cd cold && find . | sort) >before
rta-store archive --cold cold --before 2026-11-01 -o a.tar --remove 2>&1
echo "exit $?"
tar -tf a.tar
echo "-- only the good partition was removed"
(cd cold && find . | sort) | diff before - | sed -n 's/^[<>] //p'
