rta-validate --version >out
echo "exit $?"
head -1 out
grep -c '^libarchive ' out
