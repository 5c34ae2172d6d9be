# --help: on stdout, exit 0, the same before or after a subcommand.
rta-store --help
echo "exit $?"
rta-store --help >all
for sub in init ingest cat offsets compact retain fsck stats archive restore; do
	rta-store $sub --help >h 2>err
	echo "$sub --help: exit $?, $(cmp -s h all && echo the same)$(cat err)"
done
