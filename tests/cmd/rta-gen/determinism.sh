# The same options give the same bytes, on every run and machine (this
# checksum is part of the contract); another seed gives other bytes.
rta-gen -c 2000 --late 0.1 --future 0.1 --duplicates 0.1 --malformed 0.1 \
    --disorder 2s --watermark-every 10s --skew 1 -t 50 >a
rta-gen -c 2000 --late 0.1 --future 0.1 --duplicates 0.1 --malformed 0.1 \
    --disorder 2s --watermark-every 10s --skew 1 -t 50 >b
cmp a b && echo "same bytes twice"
cksum <a
rta-gen -c 2000 -o rta --late 0.1 --malformed 0.1 >c
rta-gen -c 2000 -o rta --late 0.1 --malformed 0.1 >d
cmp c d && echo "rta: same bytes twice"
cksum <c
rta-gen -c 2000 -s 2 --late 0.1 --future 0.1 --duplicates 0.1 --malformed 0.1 \
    --disorder 2s --watermark-every 10s --skew 1 -t 50 >e
cmp -s a e || echo "seed 2 differs"
rta-gen -c 5 -s 1 >f1
rta-gen -c 5 --seed=1 >f2
rta-gen -c 5 >f3
cmp f1 f2 && cmp f1 f3 && echo "-s 1, --seed=1 and the default agree"
# a longer run starts with the shorter one
rta-gen -c 100 >g
head -5 g | cmp - f1 && echo "a prefix of a longer run"
