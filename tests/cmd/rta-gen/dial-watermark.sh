# --watermark-every DUR adds a watermark record every DUR of event time:
# the largest event time so far minus --disorder; watermarks never go back,
# and (without --late) no event after a watermark is stamped below it.
rta-gen -c 1000 --watermark-every 10s --stats >o
echo "exit $?"
grep '"\$rta"' o | head -3
rta-gen -c 1000 --watermark-every 10s --disorder 2s --start 2026-01-01T12:00:00Z >o2
awk -F'"' '/"\$rta"/ { w = $8; if (w < pw) back++; pw = w; n++; next }
    { if (w != "" && $8 < w) under++ }
    END { print n, "watermarks,", back + 0, "going back,", under + 0, "events under one" }' o2
