# rta-cat emit: key=value fields are typed when they read as JSON numbers,
# true, false or null, and strings otherwise; field order is kept.
rta-cat emit --id e1 --time 2026-01-01T00:00:00Z page_view acme \
    n=12 neg=-3 f=1.50 e=1e5 z=0 t=true fa=false nu=null \
    s=hello num-ish=12abc lead=007 plus=+1 big=123456789012345678901234567890 \
    empty= 'sp=a b' True=True 'eq=a=b'
echo "exit $?"
