# A format the validator does not know is an annotation without --formats
# and a problem with it (it could not be asserted).
cp -R "$DATA/validate/schemas" schemas
cat >schemas/paint.v1.json <<'END'
{
  "type": "object",
  "properties": {
    "colour": {"type": "string", "format": "colour"}
  }
}
END
rta-validate check schemas
echo "exit $?"
rta-validate check --formats schemas
echo "--formats: exit $?"
