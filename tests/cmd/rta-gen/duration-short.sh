# --duration writes the events stamped within it: one (at the start) when it
# is shorter than one event interval, never an endless stream.
{ rta-gen -d 50ms 2>err; echo $? >status; } | head -c 1000000 >o
echo "-d 50ms: exit $(cat status), $(wc -l <o) records"
{ rta-gen -d 1s --eps 0.5 2>err; echo $? >status; } | head -c 1000000 >o
echo "-d 1s --eps 0.5: exit $(cat status), $(wc -l <o) records"
