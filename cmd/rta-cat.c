/*
 * rta-cat: the ingestion edge of an rta pipeline.  Reads NDJSON, rta
 * frames, CSV or kcat -J envelopes from files or stdin (compressed or in
 * archives), checks every record, and writes one clean stream of NDJSON or
 * rta frames; bad records go to the dead-letter file.  `rta-cat emit`
 * writes one event from the shell.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_cli.h"
#include "rta_emit.h"
#include "rta_json.h"
#include "rta_kafkakey.h"
#include "rta_stage.h"
#include "rta_time.h"
#include "rta_uuid.h"
#include "rta_value.h"

static const char usage_line[] =
"usage: rta-cat [-fhquV] [-n count] [-o format] [--compress[=level]]\n"
"               [--dead-letter file] [--delimiter char] [--epoch-unit unit]\n"
"               [--events-only] [--from format] [--id-col name]\n"
"               [--kafka-key field]\n"
"               [--max-errors n] [--max-line size] [--metrics file]\n"
"               [--no-infer] [--strict] [--tenant tenant] [--tenant-col name]\n"
"               [--time-col name] [--type type] [--type-col name]\n"
"               [--version-col name] [file ...]\n"
"       rta-cat emit [-hV] [-o format] [--id id] [--schema-version n]\n"
"               [--time time] type tenant [key=value | key:=json ...]";

enum {
	OPT_COMPRESS = RTA_OPT_STAGE_LAST,
	OPT_DELIMITER, OPT_EPOCH_UNIT, OPT_EVENTS_ONLY, OPT_FROM, OPT_ID_COL,
	OPT_NO_INFER, OPT_TENANT, OPT_TENANT_COL, OPT_TIME_COL, OPT_TYPE,
	OPT_TYPE_COL, OPT_VERSION_COL, OPT_ID, OPT_TIME, OPT_SCHEMA_VERSION,
	OPT_KAFKA_KEY
};

static const struct option longopts[] = {
	RTA_STAGE_LONGOPTS,
	{ "compress", optional_argument, NULL, OPT_COMPRESS },
	{ "delimiter", required_argument, NULL, OPT_DELIMITER },
	{ "epoch-unit", required_argument, NULL, OPT_EPOCH_UNIT },
	{ "events-only", no_argument, NULL, OPT_EVENTS_ONLY },
	{ "follow", no_argument, NULL, 'f' },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "head", required_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ "id-col", required_argument, NULL, OPT_ID_COL },
	{ "kafka-key", required_argument, NULL, OPT_KAFKA_KEY },
	{ "no-infer", no_argument, NULL, OPT_NO_INFER },
	{ "tenant", required_argument, NULL, OPT_TENANT },
	{ "tenant-col", required_argument, NULL, OPT_TENANT_COL },
	{ "time-col", required_argument, NULL, OPT_TIME_COL },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "type-col", required_argument, NULL, OPT_TYPE_COL },
	{ "version", no_argument, NULL, 'V' },
	{ "version-col", required_argument, NULL, OPT_VERSION_COL },
	{ NULL, 0, NULL, 0 }
};

static int	csv_given;	/* a CSV-only option was used */

static int	emit_main(int, char **);
static int	put_keyed(struct rta_stage *, const struct rta_field *,
		    const struct rta_record *, struct rta_buf *);
static int	csv_option(struct rta_csv_opts *, int, const char *);
static void	help(void);

int
main(int argc, char *argv[])
{
	struct rta_stage st;
	struct rta_record rec;
	struct rta_field kkey;
	struct rta_buf line = RTA_BUF_INIT;
	struct rta_error ferr;
	const char *kafka_key = NULL;
	uint64_t head = 0, n = 0, level;
	int c, events_only = 0, status;

	if (argc > 1 && strcmp(argv[1], "emit") == 0)
		return emit_main(argc - 1, argv + 1);
	rta_stage_init(&st, "rta-cat", usage_line);
	while ((c = getopt_long(argc, argv, ":fhn:V" RTA_STAGE_SHORTOPTS,
	    longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			st.ropts.follow = 1;
			break;
		case 'h':
			help();
			return rta_cli_finish(RTA_EXIT_OK);
		case 'n':
			if (rta_parse_u64(optarg, 1, UINT64_MAX, &head) != 0)
				rta_usage_error(usage_line, "bad --head '%s' "
				    "(a number of events, at least 1)", optarg);
			break;
		case 'V':
			rta_cli_version();
			return rta_cli_finish(RTA_EXIT_OK);
		case OPT_COMPRESS:
			level = 3;
			if (optarg != NULL && rta_parse_u64(optarg, 1, 19,
			    &level) != 0)
				rta_usage_error(usage_line, "bad --compress "
				    "level '%s' (1 to 19)", optarg);
			st.compress = (int)level;
			break;
		case OPT_EVENTS_ONLY:
			events_only = 1;
			break;
		case OPT_KAFKA_KEY:
			kafka_key = optarg;
			break;
		case OPT_FROM:
			if (rta_format_parse(optarg, &st.ropts.format) != 0)
				rta_usage_error(usage_line, "bad --from '%s' "
				    "(use auto, ndjson, rta, parquet, csv or "
				    "kcat-json)",
				    optarg);
			break;
		case OPT_EPOCH_UNIT:
			if (strcmp(optarg, "s") == 0)
				st.ropts.epoch_unit = RTA_EPOCH_S;
			else if (strcmp(optarg, "ms") == 0)
				st.ropts.epoch_unit = RTA_EPOCH_MS;
			else if (strcmp(optarg, "us") == 0)
				st.ropts.epoch_unit = RTA_EPOCH_US;
			else if (strcmp(optarg, "auto") == 0)
				st.ropts.epoch_unit = RTA_EPOCH_AUTO;
			else
				rta_usage_error(usage_line, "bad --epoch-unit "
				    "'%s' (use s, ms, us or auto)", optarg);
			st.ropts.csv.epoch_unit = st.ropts.epoch_unit;
			break;
		default:
			if (rta_stage_getopt(&st, c, optarg) ||
			    csv_option(&st.ropts.csv, c, optarg))
				break;
			rta_cli_bad_option(usage_line, c, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (st.to == RTA_FMT_RTA && isatty(STDOUT_FILENO))
		rta_usage_error(usage_line, "not writing rta frames to a "
		    "terminal (redirect stdout, or use -o ndjson)");
	if (st.ropts.format != RTA_FMT_CSV && csv_given)
		rta_usage_error(usage_line, "CSV options need --from csv");
	if (st.ropts.follow && argc > 1)
		rta_usage_error(usage_line, "--follow reads one file (start one "
		    "rta-cat per file)");
	if (kafka_key != NULL) {
		/* a line for kcat -P is NDJSON after its key */
		if (st.to == RTA_FMT_RTA || st.compress > 0)
			rta_usage_error(usage_line, "--kafka-key writes "
			    "NDJSON lines for kcat (no -o rta, no "
			    "--compress)");
		if (rta_field_parse(&kkey, kafka_key, &ferr) != RTA_OK)
			rta_usage_error(usage_line, "bad --kafka-key '%s': %s",
			    kafka_key, ferr.text);
		st.to = RTA_FMT_NDJSON;
	}
	if ((status = rta_stage_start(&st, argc, argv)) != 0) {
		if (kafka_key != NULL)
			rta_field_release(&kkey);
		return status;
	}
	while (rta_stage_next(&st, &rec) == RTA_OK) {
		if ((events_only || kafka_key != NULL) &&
		    (rec.kind == RTA_REC_WATERMARK ||
		    rec.kind == RTA_REC_POSITION))
			continue;
		if (kafka_key != NULL && (rec.kind == RTA_REC_EVENT ||
		    rec.kind == RTA_REC_AGGREGATE)) {
			if (put_keyed(&st, &kkey, &rec, &line) != RTA_OK)
				break;
		} else if (rta_stage_emit(&st, &rec) != RTA_OK)
			break;
		if ((rec.kind == RTA_REC_EVENT ||
		    rec.kind == RTA_REC_AGGREGATE) && head > 0 && ++n >= head)
			break;
	}
	if (kafka_key != NULL)
		rta_field_release(&kkey);
	rta_buf_release(&line);
	return rta_stage_finish(&st);
}

/*
 * --kafka-key: write rec as "key<TAB>json" for kcat -P -K '\t'.  A record
 * without a usable key is a bad record (dead letter, exit 1); the stream
 * goes on.  RTA_OK, or the write error that stops the stream.
 */
static int
put_keyed(struct rta_stage *st, const struct rta_field *f,
    const struct rta_record *rec, struct rta_buf *line)
{
	const unsigned char *raw;
	struct rta_error err;
	uint64_t total;
	size_t len;
	int rc;

	line->len = 0;
	rc = rta_kafka_key_put(line, f, rec, &err);
	if (rc == RTA_EDATA) {
		rta_reader_raw(st->rd, &raw, &len, &total);
		rta_stage_reject(st, &rec->ev, &err, raw, len);
		return RTA_OK;
	}
	if (rc == RTA_OK) {
		if (!st->out_ready)
			rta_stage_set_output(st, RTA_FMT_NDJSON);
		rc = rta_output_bytes(&st->out, line->data, line->len, &err);
	}
	if (rc != RTA_OK) {
		rta_cli_check_pipe(st->out.fail_errno);
		rta_warnx("%s", err.text);
		rta_cli_status(&st->status, rta_exit_code(rc));
		st->out_reported = 1;
		st->stop = 1;
		return rc;
	}
	st->m.out++;
	if (st->m.path != NULL)
		rta_metrics_tenant(&st->m, rec->ev.tenant, rec->ev.tenant_len,
		    RTA_TENANT_OUT);
	return RTA_OK;
}

static int
csv_option(struct rta_csv_opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_DELIMITER: case OPT_ID_COL: case OPT_NO_INFER:
	case OPT_TENANT_COL: case OPT_TIME_COL: case OPT_TYPE_COL:
	case OPT_VERSION_COL: case OPT_TENANT: case OPT_TYPE:
		csv_given = 1;
		break;
	default:
		return 0;
	}
	switch (c) {
	case OPT_DELIMITER:
		if (strcmp(arg, "\\t") == 0 || strcmp(arg, "tab") == 0)
			o->delim = '\t';
		else if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n')
			o->delim = (unsigned char)arg[0];
		else
			rta_usage_error(usage_line, "bad --delimiter '%s' "
			    "(one character, or tab)", arg);
		return 1;
	case OPT_ID_COL:	o->id_col = arg; return 1;
	case OPT_NO_INFER:	o->no_infer = 1; return 1;
	case OPT_TENANT_COL:	o->tenant_col = arg; return 1;
	case OPT_TIME_COL:	o->time_col = arg; return 1;
	case OPT_TYPE_COL:	o->type_col = arg; return 1;
	case OPT_VERSION_COL:	o->version_col = arg; return 1;
	case OPT_TENANT:
	case OPT_TYPE:
		if (*arg == '\0' || strlen(arg) > RTA_ID_MAX)
			rta_usage_error(usage_line, "bad --%s '%s' (1 to %d "
			    "bytes)", c == OPT_TYPE ? "type" : "tenant", arg,
			    RTA_ID_MAX);
		if (c == OPT_TYPE)
			o->type = arg;
		else
			o->tenant = arg;
		return 1;
	default:
		return 0;
	}
}

/* ---- rta-cat emit ------------------------------------------------------ */

static const struct option emit_longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "id", required_argument, NULL, OPT_ID },
	{ "schema-version", required_argument, NULL, OPT_SCHEMA_VERSION },
	{ "time", required_argument, NULL, OPT_TIME },
	{ "to", required_argument, NULL, 'o' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/* Append one key=value or key:=json argument to the payload object. */
static void
emit_field(struct rta_buf *payload, struct rta_json *j, const char *arg)
{
	const char *eq = strchr(arg, '='), *v;
	size_t klen;
	struct rta_json_num num;
	struct rta_error err;
	int raw;

	if (eq == NULL || eq == arg || (eq == arg + 1 && arg[0] == ':'))
		rta_usage_error(usage_line, "bad field '%s' (use key=value or "
		    "key:=json)", arg);
	raw = eq[-1] == ':';
	klen = (size_t)(eq - arg) - (size_t)raw;
	v = eq + 1;
	if (rta_venc_key(payload, arg, klen) != 0)
		goto nomem;
	if (raw) {
		if (rta_json_document(j, v, strlen(v), payload, &err) !=
		    RTA_OK)
			rta_usage_error(usage_line, "bad JSON for '%.*s': %s",
			    (int)klen, arg, err.text);
		return;
	}
	if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
		if (rta_venc_bool(payload, v[0] == 't') != 0)
			goto nomem;
		return;
	}
	if (strcmp(v, "null") == 0) {
		if (rta_venc_null(payload) != 0)
			goto nomem;
		return;
	}
	rta_json_begin(j, v, strlen(v), NULL);
	if ((v[0] == '-' || (v[0] >= '0' && v[0] <= '9')) &&
	    rta_json_number(j, &num) == RTA_OK && j->p == j->end) {
		if ((num.is_int ? rta_venc_int(payload, num.i) :
		    rta_venc_number(payload, num.d, num.text, num.len)) != 0)
			goto nomem;
		return;
	}
	if (rta_venc_string(payload, v, strlen(v)) != 0)
		goto nomem;
	return;
nomem:
	rta_warnx("out of memory");
	exit(RTA_EXIT_LIMIT);
}

/* The length of an envelope string given on the command line. */
static size_t
id_length(const char *name, const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > RTA_ID_MAX)
		rta_usage_error(usage_line, "%s must be 1 to %d bytes", name,
		    RTA_ID_MAX);
	return n;
}

static int
emit_main(int argc, char **argv)
{
	struct rta_buf payload = RTA_BUF_INIT;
	struct rta_json j;
	struct rta_event ev;
	struct rta_emitter *em;
	struct rta_error err;
	enum rta_format to = RTA_FMT_NDJSON;
	const char *id = NULL;
	char idbuf[RTA_UUID_LEN];
	uint64_t version = 1;
	size_t off;
	int c, i, rc;

	rta_cli_init("rta-cat");
	memset(&ev, 0, sizeof(ev));
	ev.ts = rta_now();
	while ((c = getopt_long(argc, argv, ":ho:V", emit_longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'h':
			help();
			return rta_cli_finish(RTA_EXIT_OK);
		case 'o':
			if (rta_format_parse(optarg, &to) != 0 ||
			    (to != RTA_FMT_NDJSON && to != RTA_FMT_RTA))
				rta_usage_error(usage_line, "bad output format "
				    "'%s' (use ndjson or rta)", optarg);
			break;
		case 'V':
			rta_cli_version();
			return rta_cli_finish(RTA_EXIT_OK);
		case OPT_ID:
			id = optarg;
			break;
		case OPT_SCHEMA_VERSION:
			if (rta_parse_u64(optarg, 0, UINT32_MAX, &version) != 0)
				rta_usage_error(usage_line, "bad "
				    "--schema-version '%s'", optarg);
			break;
		case OPT_TIME:
			if (rta_time_parse_arg(optarg, rta_now(), &ev.ts,
			    &err) != RTA_OK)
				rta_usage_error(usage_line, "%s", err.text);
			break;
		default:
			rta_cli_bad_option(usage_line, c, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		rta_usage_error(usage_line, "emit needs an event type and a "
		    "tenant");
	if (to == RTA_FMT_RTA && isatty(STDOUT_FILENO))
		rta_usage_error(usage_line, "not writing rta frames to a "
		    "terminal (redirect stdout, or use -o ndjson)");
	rta_json_init(&j);
	if ((off = rta_venc_begin(&payload, RTA_V_OBJECT)) == (size_t)-1) {
		rta_warnx("out of memory");
		return RTA_EXIT_LIMIT;
	}
	for (i = 2; i < argc; i++)
		emit_field(&payload, &j, argv[i]);
	rta_venc_end(&payload, off, (uint32_t)(argc - 2));
	if (id == NULL) {
		rta_uuid_v7(idbuf, ev.ts / 1000);
		id = idbuf;
		ev.id_len = RTA_UUID_LEN;
	} else
		ev.id_len = (uint8_t)id_length("event_id", id);
	ev.id = id;
	ev.type = argv[0];
	ev.type_len = (uint8_t)id_length("event_type", argv[0]);
	ev.tenant = argv[1];
	ev.tenant_len = (uint8_t)id_length("tenant_id", argv[1]);
	ev.schema_version = (uint32_t)version;
	ev.payload = payload.data;
	ev.payload_len = payload.len;
	if (rta_event_check(&ev, &err) != RTA_OK ||
	    rta_event_check_values(&ev, RTA_VALUE_MAX_DEPTH,
	    RTA_VALUE_MAX_MEMBERS, &err) != RTA_OK)
		rta_usage_error(usage_line, "%s", err.text);
	if ((em = rta_emitter_fd(STDOUT_FILENO, to == RTA_FMT_RTA ?
	    RTA_EMIT_RTA : RTA_EMIT_NDJSON)) == NULL) {
		rta_warnx("out of memory");
		return RTA_EXIT_LIMIT;
	}
	rc = rta_emit_event(em, &ev);
	if (rc != 0) {
		rta_cli_check_pipe(errno);
		rta_warnx("%s", rta_emitter_error(em));
	}
	if (rta_emitter_free(em) != 0 && rc == 0) {
		rta_cli_check_pipe(errno);
		rta_warnx("write error");
		rc = -1;
	}
	rta_json_release(&j);
	rta_buf_release(&payload);
	return rta_cli_finish(rc == 0 ? RTA_EXIT_OK : RTA_EXIT_IO);
}

static void
help(void)
{
	printf("%s\n\n", usage_line);
	fputs(
"Read events from files or stdin (- is stdin) in NDJSON, rta frames, CSV or\n"
"kcat -J envelopes, compressed (gzip, bzip2, xz, zstd) or in tar/zip\n"
"archives, and write them as one stream of NDJSON or rta frames.\n"
"\n"
"  -f, --follow            keep reading files as they grow (like tail -F)\n"
"  -n, --head N            stop after N events\n"
"      --compress[=LEVEL]  compress the output with zstd (level 1-19, 3)\n"
"      --epoch-unit UNIT   read numeric timestamps as s, ms, us (default:\n"
"                          by magnitude)\n"
"      --events-only       leave out watermark and position records\n"
"      --from FORMAT       auto (ndjson, rta or parquet), ndjson, rta,\n"
"                          parquet, csv, kcat-json\n"
"      --kafka-key FIELD   write KEY<TAB>JSON lines for kcat -P -K '\\t',\n"
"                          KEY the value of FIELD (e.g. tenant_id)\n"
RTA_STAGE_HELP
"  -h, --help              show this help\n"
"  -V, --version           show the version and library versions\n"
"\n"
"CSV (--from csv): the header names the columns; event_id, timestamp,\n"
"event_type, tenant_id and schema_version fill the envelope, the others\n"
"become payload fields (numbers and booleans detected).\n"
"      --delimiter CHAR    field separator (default ','; 'tab' for TAB)\n"
"      --id-col NAME       column of event ids (default: event_id, else a\n"
"                          stable id derived from the row)\n"
"      --no-infer          keep every field a string\n"
"      --tenant TENANT     tenant of every row (when there is no column)\n"
"      --tenant-col NAME   tenant column (default tenant_id)\n"
"      --time-col NAME     timestamp column (default timestamp)\n"
"      --type TYPE         event type of every row\n"
"      --type-col NAME     event type column (default event_type)\n"
"      --version-col NAME  schema version column (default schema_version)\n"
"\n"
"rta-cat emit TYPE TENANT [key=value | key:=json ...] writes one event\n"
"with a new UUID v7 id and the current time; values that read as numbers\n"
"or booleans are typed, key:=json takes any JSON.\n"
"      --id ID             event_id to use\n"
"      --schema-version N  schema_version (default 1)\n"
"      --time TIME         RFC 3339, epoch, now, or -DURATION (e.g. -5m)\n"
"\n"
"Example:\n"
"  kcat -C -b $B -t events -J -u | rta-cat --from kcat-json -o rta \\\n"
"      --dead-letter dlq.ndjson | rta-validate ...\n"
"\n"
"Exit status: 0 ok, 1 bad records, 2 usage, 3 I/O error, 4 resource limit.\n"
"See rta-cat(1), rta-format(5), rta(7).\n", stdout);
}
