rta-gen -c 50000 >in.ndjson
rta-dedup in.ndjson 2>err | head -1 >/dev/null
echo "stderr: $(wc -c <err) bytes"
