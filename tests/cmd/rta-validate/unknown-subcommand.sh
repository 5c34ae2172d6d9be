# A word that is not a subcommand is a file operand (rta-validate reads
# files by default).
cp -R "$DATA/validate/schemas" schemas
rta-validate -s schemas lint
echo "exit $?"
