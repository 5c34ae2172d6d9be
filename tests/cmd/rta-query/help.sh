rta-query --help
echo "exit $?"
