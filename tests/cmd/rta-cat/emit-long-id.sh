# rta-cat emit: an id, type or tenant over 255 bytes is a usage error that
# says what the limit is (not that the value is empty); 255 bytes is fine.
L=$(head -c 256 /dev/zero | tr '\0' x)
for what in id type tenant; do
	case $what in
	id) rta-cat emit --id "$L" t a >out 2>err ;;
	type) rta-cat emit "$L" a >out 2>err ;;
	tenant) rta-cat emit t "$L" >out 2>err ;;
	esac
	echo "$what: exit $?, $(wc -c <out) bytes out, names the limit: $(grep -c 255 err), says empty: $(grep -c empty err)"
done
M=$(head -c 255 /dev/zero | tr '\0' x)
rta-cat emit --id "$M" --time 0 "$M" "$M" >out
echo "255 bytes: exit $?, $(wc -c <out) bytes"
