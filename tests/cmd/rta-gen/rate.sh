# -r/--rate N paces output at N records per second of wall clock: 100
# records at --rate 200 take at least 0.4 s (and not much longer), and
# event time then advances at the same rate.
s=$(date +%s%N)
rta-gen -c 100 --rate 200 >o
st=$?
e=$(date +%s%N)
ms=$(( (e - s) / 1000000 ))
echo "exit $st, $(wc -l <o) records"
[ $ms -ge 400 ] && echo "took at least 0.4 s" || echo "took $ms ms"
[ $ms -lt 3000 ] && echo "and less than 3 s" || echo "took $ms ms"
tail -1 o | cut -c 64-90
