# check lists every problem of every schema as FILE:LINE: #POINTER: what
# (an unsupported keyword, a misspelt one, a bad type, a bad regex, a $ref
# that does not resolve, JSON that does not parse), and exits 1.
cp -R "$DATA/validate/problems" problems
rta-validate check problems
echo "exit $?"
