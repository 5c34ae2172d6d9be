# A flipped bit in a frame header (check mismatch) or body (checksum
# mismatch) rejects that frame only; the reader resynchronises and every
# later frame is read.
. "$DATA/balance.inc"
rta-gen -c 10 -s 1 -o rta >s.rta
rta-cat -o ndjson s.rta >all
for off in 0 3 12 16 18 20 30 200 1200; do
	perl -0777 -pe "substr(\$_, $off, 1) ^= chr(0x10)" s.rta >flip.rta
	rta-cat -o ndjson --metrics m flip.rta >out 2>err
	s=$?
	echo "bit 4 of byte $off: exit $s, $(wc -l <out) events: $(cat err)"
	grep -v -x -F -f all out >alien
	echo "  $(wc -l <alien) events not in the input, $(balanced m)"
done
