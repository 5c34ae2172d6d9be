# The unit set of examples/ops/systemd passes systemd-analyze verify,
# with the programs' paths pointed at the ones under test (verify checks
# that each command is executable).  Skipped, saying so, where systemd
# is not installed.
units=$TESTS/../examples/ops/systemd
mkdir u
for f in "$units"/*; do
	sed "s|/usr/local/bin/|$RTA_BIN/|g" "$f" >u/"${f##*/}"
done
ls u
if ! command -v systemd-analyze >/dev/null; then
	echo "systemd-analyze not installed: not verified"
	exit 0
fi
# every timer has its service, every service a command
for t in u/*.timer; do
	[ -f "${t%.timer}.service" ] || echo "$t: no service"
done
SYSTEMD_LOG_LEVEL=warning systemd-analyze verify u/* >verify.out 2>&1
echo "verify: exit $?"
sed "s|$PWD/||" verify.out
