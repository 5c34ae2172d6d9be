rta-window --help
echo "exit $?"
