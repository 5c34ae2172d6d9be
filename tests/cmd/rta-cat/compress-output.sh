# --compress writes zstd that `zstd -d` decodes to the plain output, at
# the default level and at --compress=LEVEL, in either encoding.
rta-gen -c 300 >in.ndjson
rta-cat --compress in.ndjson >o1.zst
echo "--compress: exit $?"
zstd -q -d -c o1.zst | cmp - in.ndjson && echo "decodes to the input"
rta-cat --compress=19 -o rta in.ndjson >o2.zst
echo "--compress=19 -o rta: exit $?"
rta-cat -o rta in.ndjson >plain.rta
zstd -q -d -c o2.zst | cmp - plain.rta && echo "decodes to the rta stream"
rta-cat -o ndjson o2.zst | cmp - in.ndjson && echo "and rta-cat reads it back"
rta-cat --compress=20 in.ndjson
echo "--compress=20: exit $?"
