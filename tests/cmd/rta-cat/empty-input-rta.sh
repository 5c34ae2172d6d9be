# Empty input with -o rta still gives a valid binary stream: the stream
# header and an end frame.
rta-cat -o rta </dev/null >out
echo "exit $?"
od -A d -t x1 out
