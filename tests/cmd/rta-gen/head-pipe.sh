# A reader that goes away (| head -1) ends rta-gen quietly, even with no
# end (-c 0): no message, status 0 or 141 (SIGPIPE).
for args in "-c 0" "-c 0 -o rta" "-c 0 --rate 100000" "-c 0 -u"; do
	{ rta-gen $args 2>err; echo $? >status; } | head -c 100 >first
	case $(cat status) in
	0|141) st="0 or 141" ;;
	*) st=$(cat status) ;;
	esac
	echo "$args: status $st, $(wc -c <err) bytes on stderr"
done
