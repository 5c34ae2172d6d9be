# rta-cat emit >/dev/full: exit 3 and the usual "write error" message, in
# either encoding.
rta-cat emit t a >/dev/full 2>err
echo "ndjson: exit $?, says write error: $(grep -c '^rta-cat: write error: No space left on device$' err)"
rta-cat emit -o rta t a >/dev/full 2>err
echo "rta: exit $?, says write error: $(grep -c '^rta-cat: write error: No space left on device$' err)"
