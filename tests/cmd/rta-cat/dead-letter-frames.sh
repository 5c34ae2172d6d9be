# Rejected frames are dead-lettered with their byte offset and the original
# bytes in base64; the base64 decodes to the frame as it was read.
rta-gen -c 30 -s 5 -o rta --malformed 0.2 >in.rta
rta-cat -o ndjson --dead-letter dl in.rta >out 2>/dev/null
echo "exit $?: $(wc -l <out) out, $(wc -l <dl) dead letters"
cat dl
sed -n 1p dl | sed 's/.*"byte_offset":\([0-9]*\).*"original_base64":"\([^"]*\)".*/\1 \2/' |
while read off b64; do
	printf '%s' "$b64" | base64 -d >frame
	tail -c +$((off + 1)) in.rta | head -c $(wc -c <frame) | cmp - frame &&
	    echo "first original = bytes $off.. of the input"
done
