# --help and --version work after each subcommand name, on stdout, exit 0.
rta-validate --help >main.txt
for c in check compat drift; do
	rta-validate $c --help >out
	echo "$c --help: exit $?, $(cmp -s out main.txt && echo same text)"
	rta-validate $c -V >out
	echo "$c -V: exit $?, $(head -1 out)"
done
