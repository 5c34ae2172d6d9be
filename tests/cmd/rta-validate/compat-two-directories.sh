# compat OLD NEW with directories: they cannot be read as schema files
# (exit 3, naming the operand).
cp -R "$DATA/validate/history" history
cp -R "$DATA/validate/schemas" schemas
rta-validate compat history schemas
echo "exit $?"
