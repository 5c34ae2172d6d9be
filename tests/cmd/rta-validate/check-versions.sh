# A schema whose file name, $id and x-rta-event-type/x-rta-version
# disagree on its type or version is a problem, at the member that
# disagrees with the file name.
cp -R "$DATA/validate/versions" versions
rta-validate check versions
echo "exit $?"
