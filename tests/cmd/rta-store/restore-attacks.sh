# Hostile and broken archives (made here with python3's tarfile): each
# is refused with exit 1 and a message naming the entry and the rule it
# breaks; nothing is published, no staging is left, the store is
# byte for byte as it was and nothing is written outside it.
mkdir -p outside cold/ev/tenant_id=acme/year=2026/month=1/day=1
printf 'sentinel' >outside/sentinel
printf 'OLD' >cold/ev/tenant_id=acme/year=2026/month=1/day=1/part-00000.parquet
: >cold/.rta-lock
snap() {
	(find cold outside -printf '%y %m %p %l\n'
	    find cold outside -type f -exec sha256sum {} +) | sort
}
snap >before

cat >mk.py <<'PY'
import hashlib, io, os, sys, tarfile
case, out, outside = sys.argv[1], sys.argv[2], os.path.abspath('outside')
P = 'ev/tenant_id=acme/year=2026/month=1/day=1/'
A, B = P + 'part-00000.parquet', P + 'part-00001.parquet'
data = {A: b'new data A', B: b'new data B, longer'}

def line(path, body, size=None, digest=None):
    return '%s %d %s\n' % (digest or hashlib.sha256(body).hexdigest(),
        len(body) if size is None else size, path)

def manifest(paths):
    return 'rta-archive 1\n' + ''.join(line(p, data[p]) for p in paths)

def reg(t, name, body, **kw):
    ti = tarfile.TarInfo(name)
    ti.size, ti.mode, ti.mtime = len(body), 0o644, 1700000000
    for k, v in kw.items():
        setattr(ti, k, v)
    t.addfile(ti, io.BytesIO(body) if ti.isreg() else None)

def special(t, name, typ, link=''):
    ti = tarfile.TarInfo(name)
    ti.type, ti.linkname, ti.mode, ti.mtime = typ, link, 0o644, 1700000000
    t.addfile(ti)

if case == 'garbage':
    open(out, 'wb').write(b'not a tar archive\n' * 256)
    sys.exit(0)
with tarfile.open(out, 'w', format=tarfile.PAX_FORMAT) as t:
    m = manifest([A, B])
    if case == 'empty':
        pass
    elif case == 'no-manifest':
        reg(t, A, data[A]); reg(t, 'MANIFEST', m.encode())
    elif case == 'manifest-symlink':
        special(t, 'MANIFEST', tarfile.SYMTYPE, '/etc/passwd')
    elif case == 'bad-manifest-huge':
        ti = tarfile.TarInfo('MANIFEST')
        ti.size = 16 * 1024 * 1024 + 1
        t.addfile(ti, io.BytesIO(b'\n' * ti.size))
    elif case.startswith('bad-manifest-'):
        bad = {
            'header': 'rta-archive 2\n' + m[14:],
            'upper-hex': m.replace(m[14:78], m[14:78].upper()),
            'short-hex': m[:14] + m[15:],
            'size-zero': m.replace(' %d ' % len(data[A]), ' 0%d ' % len(data[A]), 1),
            'size-junk': m.replace(' %d ' % len(data[A]), ' 1e3 ', 1),
            'no-newline': m[:-1],
            'crlf': m.replace('\n', '\r\n'),
            'twice': manifest([A, A]),
            'order': manifest([B, A]),
            'path': m + line('../../outside/x', b''),
            'nul': m + '\0',
        }[case[13:]]
        reg(t, 'MANIFEST', bad.encode())
    else:
        if case == 'good':
            reg(t, 'MANIFEST', m.encode())
            reg(t, A, data[A]); reg(t, B, data[B])
        elif case == 'missing':
            reg(t, 'MANIFEST', m.encode())
            reg(t, A, data[A])
        elif case == 'not-in-manifest':
            reg(t, 'MANIFEST', manifest([A]).encode())
            reg(t, A, data[A]); reg(t, B, data[B])
        elif case == 'checksum':
            reg(t, 'MANIFEST', m.encode())
            reg(t, A, b'new data Z'); reg(t, B, data[B])
        elif case == 'size':
            reg(t, 'MANIFEST', m.encode())
            reg(t, A, data[A] + b'!'); reg(t, B, data[B])
        elif case == 'duplicate':
            reg(t, 'MANIFEST', m.encode())
            reg(t, A, data[A]); reg(t, A, data[A]); reg(t, B, data[B])
        else:
            reg(t, 'MANIFEST', m.encode())
            if case == 'absolute':
                reg(t, outside + '/pwned', b'x')
            elif case == 'dot-dot':
                reg(t, P + '../../../../../outside/pwned', b'x')
            elif case == 'dot-dot-only':
                reg(t, '../outside/pwned', b'x')
            elif case == 'symlink':
                special(t, A, tarfile.SYMTYPE, outside + '/pwned')
                reg(t, A, data[A])
            elif case == 'hardlink':
                special(t, A, tarfile.LNKTYPE, outside + '/sentinel')
            elif case == 'directory':
                special(t, P, tarfile.DIRTYPE)
            elif case == 'device':
                special(t, A, tarfile.CHRTYPE)
            elif case == 'fifo':
                special(t, A, tarfile.FIFOTYPE)
            elif case == 'not-partition':
                reg(t, 'ev/notes.txt', b'x')
            elif case == 'not-canonical':
                reg(t, 'ev/tenant_id=acme/year=2026/month=01/day=1/part-00000.parquet', data[A])
            elif case == 'bad-name':
                reg(t, P + 'part-0.parquet.sh', b'x')
            reg(t, A, data[A]); reg(t, B, data[B])
PY

for c in absolute dot-dot dot-dot-only symlink hardlink directory device \
    fifo not-partition not-canonical bad-name not-in-manifest missing \
    checksum size duplicate no-manifest empty manifest-symlink garbage \
    bad-manifest-header bad-manifest-upper-hex bad-manifest-short-hex \
    bad-manifest-size-zero bad-manifest-size-junk bad-manifest-no-newline \
    bad-manifest-crlf bad-manifest-twice bad-manifest-order \
    bad-manifest-path bad-manifest-nul bad-manifest-huge \
    truncated-zst truncated-tar; do
	case $c in
	truncated-*)	# a good archive, cut in the second file's data
		python3 mk.py good good.tar outside
		head -c 2565 good.tar >$c.tar
		f=$c.tar
		if [ $c = truncated-zst ]; then
			zstd -q good.tar -o good.tar.zst
			head -c 100 good.tar.zst >$c.tar.zst
			f=$c.tar.zst
		fi ;;
	*)
		python3 mk.py $c $c.tar outside
		f=$c.tar ;;
	esac
	rta-store restore --cold cold $f >out 2>err
	echo "$c: exit $?"
	sed "s|$PWD/|/PWD/|; s/^/  /" err
	snap >after
	cmp -s before after || { echo "  CHANGED:"; diff before after; }
done
echo "-- the counts balance: files read = restored + rejected"
python3 mk.py checksum c.tar outside
rta-store restore --cold cold c.tar --metrics prom 2>/dev/null
grep -E '^rta_records_(in|out|rejected)' prom
