# rta-cat emit --schema-version sets schema_version (default 1, 0 to
# 4294967295).
for v in 0 7 4294967295; do
	rta-cat emit --id x --time 0 --schema-version $v t a
	echo "exit $?"
done
rta-cat emit --id x --time 0 --schema-version 4294967296 t a
echo "4294967296: exit $?"
rta-cat emit --id x --time 0 --schema-version -1 t a
echo "-1: exit $?"
