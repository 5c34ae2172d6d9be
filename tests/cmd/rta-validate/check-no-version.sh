# A schema with no type and version anywhere (file name, $id, x-rta-*)
# is a problem of the whole file.
cp -R "$DATA/validate/noversion" noversion
rta-validate check noversion
echo "exit $?"
