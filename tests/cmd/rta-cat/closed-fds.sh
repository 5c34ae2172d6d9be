# A closed stdout or stdin is an I/O error (exit 3) with a message, not a
# crash; a file operand still reads with stdin closed.
rta-gen -c 3 >in.ndjson
rta-cat in.ndjson >&- 2>err
echo "stdout closed: exit $?, message: $(grep -c 'write error: Bad file descriptor' err | sed 's/^[1-9][0-9]*$/yes/')"
rta-cat -o rta in.ndjson >&- 2>err
echo "stdout closed, -o rta: exit $?, message: $(grep -c 'write error: Bad file descriptor' err | sed 's/^[1-9][0-9]*$/yes/')"
rta-cat <&- >out 2>err
echo "stdin closed: exit $?"
cat err
rta-cat in.ndjson <&- >out
echo "stdin closed, a file operand: exit $?"
cmp in.ndjson out && echo "read"
