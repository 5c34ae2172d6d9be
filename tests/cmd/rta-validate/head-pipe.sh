# A reader that goes away ends the program quietly (SIGPIPE), with no
# message.
cp -R "$DATA/validate/schemas" schemas
rta-gen -c 50000 >in.ndjson
rta-validate -s schemas in.ndjson 2>err | head -1 >/dev/null
echo "stderr: $(wc -c <err) bytes"
