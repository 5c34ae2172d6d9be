# Bad option values are usage errors (exit 2, nothing written): each with
# a message naming the option.
run() {
	rta-gen "$@" >out 2>err
	echo "exit $?, $(wc -c <out) bytes: $(head -1 err)"
}
run -c -1
run -c x
run -c 1e3
run -d 5x
run -o csv
run -r 0
run -r fast
run -s -1
run -t 0
run -t 100000001
run --disorder never
run --duplicates 1.5
run --duplicates 0.6 --malformed 0.6
run --eps 0
run --future -0.1
run --future 0.6 --late 0.6
run --future-by x
run --late abc
run --late-by 1y
run --malformed 2
run --skew 11
run --start yesterday
run --start 2026-13-01
run --types ''
run --types a=0
run --types =1
run --types 'a=1,b=x'
run --users 0
run --watermark-every soon
