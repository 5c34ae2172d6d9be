# Every regular member of a tar archive is read in order; messages name
# the member as archive(member):line.
mkdir d d/sub
rta-gen -c 2 -s 1 >d/a.ndjson
printf '{"event_id":"x"}\n' >d/sub/bad.ndjson
rta-gen -c 2 -s 2 -o rta >d/c.rta
tar -C d -cf x.tar a.ndjson sub c.rta
rta-cat -o ndjson x.tar >out
echo "exit $?"
{ cat d/a.ndjson; rta-cat -o ndjson d/c.rta; } | cmp - out && echo "a and c read"
gzip -c x.tar >x.tgz
rta-cat -o ndjson x.tgz >out2
echo "tar.gz: exit $?"
cmp out out2 && echo "same"
