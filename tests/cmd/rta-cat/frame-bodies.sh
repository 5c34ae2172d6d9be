# Frames with correct checksums around bodies that are wrong inside are
# rejected with a reason, and the frames after each are read (except after
# a stream header of an unknown version, which ends the input): unknown
# stream flags, frame type or frame flags; event lengths beyond
# the frame; a payload that is not an object; a bad watermark, position
# or end frame; bad UTF-8 in an id; values with a bad tag, a length past
# the payload, a count the size cannot hold, a number cut short; a NUL
# in a string and an extra field named tenant_id, which NDJSON cannot
# carry.
R="perl $DATA/rtaframe.pl"
# event body: ts, version, id/type/tenant lengths, flags, payload length
ev() { printf '0000000000000000%s%s%s' 01000000 "$1" "$2"; }
emptyobj=080000000000000000
good=$(ev 01010100 09000000)617461$emptyobj
i=0
for item in hex:895254410d0a1a0a02000000 hex:895254410d0a1a0a01000100 \
    frame:Q:00 "frame:E:$good" head:0:E:1 \
    "frame:E:$(ev 01010100 ff000000)617461$emptyobj" \
    "frame:E:$(ev ff010100 09000000)617461$emptyobj" \
    "frame:E:$(ev 01010100 01000000)61746100" \
    "frame:E:$(ev 01010100 09000000)617461080100000000000000" \
    "frame:E:$(ev 01010100 09000000)ff7461$emptyobj" \
    "frame:E:$(ev 01010102 09000000)617461$emptyobj" \
    "frame:E:$(ev 01010100 0f000000)6174610801000000060000000100000061""09" \
    "frame:E:$(ev 01010100 13000000)61746108010000000a0000000100000061""06ffffff7f" \
    "frame:E:$(ev 01010100 09000000)61746108ffffffff00000000" \
    "frame:E:$(ev 01010100 0f000000)6174610801000000060000000100000061""05" \
    "frame:E:$(ev 00010100 09000000)7461$emptyobj" \
    "frame:E:$(ev 01010100 14000000)61746108010000000b0000000100000061""060100000000" \
    "frame:E:$(ev 01010101 09000000)617461$emptyobj""0801000000130000000900000074656e616e745f6964""060100000062" \
    frame:W:00 frame:W:0000000000000080 frame:P:00 \
    frame:P:ffffffff000000000000000065 frame:Z:00
do
	i=$((i + 1))
	$R header $item >in.rta
	rta-cat emit -o rta --id after --time 0 t a | tail -c +13 >>in.rta
	rta-cat -o ndjson in.rta >out 2>err
	s=$?
	echo "$i $item: exit $s, $(grep -c '"after"' out) after: $(cat err)"
done
