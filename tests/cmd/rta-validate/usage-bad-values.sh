# Bad option values are usage errors (exit 2) naming the value.
cp -R "$DATA/validate/schemas" schemas
for args in "--mode sideways" "--mode=" "--format xml" "--format TEXT" \
    "--unknown maybe" "--unknown=" "--max-future 5x" "--max-future -1s" \
    "--max-future=" "--max-past abc" "--max-past 1h30" "-o xml" \
    "--max-errors 0" "--max-line 1"; do
	case $args in
	--mode*) sub=compat ;;
	*) sub= ;;
	esac
	rta-validate $sub $args -s schemas </dev/null >/dev/null 2>err
	echo "$sub $args: exit $?: $(head -1 err)"
done
rta-validate -s 2>err
echo "-s: exit $?: $(head -1 err)"
rta-validate compat --mode 2>err
echo "compat --mode: exit $?: $(head -1 err)"
