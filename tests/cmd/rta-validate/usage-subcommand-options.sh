# Each subcommand takes only its own options; another one is a usage
# error naming the subcommand and the option.
cp -R "$DATA/validate/schemas" schemas
for args in "check --raw" "check -s schemas" "check --schemas schemas" \
    "check --dead-letter dl" "check -o rta" "check --mode full" \
    "compat --strict" "compat -q" "compat --report r" \
    "drift --formats" "drift --upgrade" "drift --metrics m" \
    "drift --mode full" "drift --unknown pass" "--mode full" \
    "--report r"; do
	rta-validate $args schemas >/dev/null 2>err
	echo "$args: exit $?: $(head -1 err)"
done
