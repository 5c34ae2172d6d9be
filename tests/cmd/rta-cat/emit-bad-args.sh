# rta-cat emit: a missing type or tenant, a malformed field, bad JSON,
# duplicate keys, an empty or non-UTF-8 id, and unknown options are usage
# errors (exit 2) and write nothing.
L=$(printf 'a\377')
run() {
	rta-cat emit "$@" >out 2>err
	echo "exit $?, $(wc -c <out) bytes out: $(head -1 err)"
}
run t
run
run t a =x
run t a :=1
run t a k
run t a 'k:={'
run t a 'k:=1 2'
run t a 'k:="\ud800"'
run t a 'k:="\u0000"'
run t a k=1 k=2
run --id '' t a
run '' a
run t ''
run t "$L"
run -o csv t a
run --bogus t a
run --time
