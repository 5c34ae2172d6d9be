# --compress on an input with no records still writes a zstd stream that
# decodes (to nothing), as gzip -c </dev/null does.
rta-cat --compress </dev/null >o.zst
echo "exit $?"
zstd -q -d -c o.zst >plain
echo "zstd -d: exit $?, $(wc -c <plain) bytes"
