/*
 * rta_stage.c: the shared record loop of the rta filters.
 *
 * Everything a user can rely on across the toolkit lives here once: how a
 * bad record is reported and counted, when a run stops, when output is
 * flushed, what --metrics holds.  The loop itself is the caller's; these
 * functions keep the books.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_cli.h"
#include "rta_stage.h"
#include "rta_time.h"
#include "rta_value.h"

static void	notice(struct rta_stage *, const struct rta_error *,
		    const char *, int, const char *, ...) RTA_PRINTFLIKE(5, 6);

#define SHOW_ERRORS	10
#define TICK_EVERY	4096
#define PROGRESS_DELAY	(1000000LL)
#define PROGRESS_EVERY	(500000LL)

static volatile sig_atomic_t usr1_seen;

static void
on_usr1(int sig)
{
	(void)sig;
	usr1_seen = 1;
}

void
rta_stage_init(struct rta_stage *st, const char *name, const char *usage)
{
	memset(st, 0, sizeof(*st));
	st->name = name;
	st->usage = usage;
	st->to = RTA_FMT_AUTO;
	rta_reader_opts_init(&st->ropts);
	rta_metrics_init(&st->m, name);
	rta_cli_init(name);
}

int
rta_stage_getopt(struct rta_stage *st, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case 'o':
		if (rta_format_parse(arg, &st->to) != 0 ||
		    (st->to != RTA_FMT_NDJSON && st->to != RTA_FMT_RTA))
			rta_usage_error(st->usage, "bad output format '%s' "
			    "(use ndjson or rta)", arg);
		return 1;
	case 'q':
		st->quiet = 1;
		return 1;
	case 'u':
		st->unbuffered = 1;
		return 1;
	case RTA_OPT_DEAD_LETTER:
		st->dead_letter = arg;
		return 1;
	case RTA_OPT_MAX_ERRORS:
		if (rta_parse_u64(arg, 1, UINT64_MAX, &st->max_errors) != 0)
			rta_usage_error(st->usage, "bad --max-errors '%s' "
			    "(a number of records, at least 1)", arg);
		return 1;
	case RTA_OPT_METRICS:
		st->metrics_path = arg;
		return 1;
	case RTA_OPT_STRICT:
		st->max_errors = 1;
		return 1;
	case RTA_OPT_MAX_LINE:
		if (rta_parse_size(arg, &v) != 0 || v < 64 || v > (1U << 30))
			rta_usage_error(st->usage, "bad --max-line '%s' "
			    "(a size from 64 to 1G)", arg);
		st->ropts.max_line = (size_t)v;
		return 1;
	default:
		return 0;
	}
}

void
rta_stage_idle(void *arg)
{
	struct rta_stage *st = arg;
	struct rta_error err;

	if (st->out_ready && rta_output_flush(&st->out, &err) != RTA_OK) {
		rta_cli_check_pipe(st->out.fail_errno);
		/* reported by the next emit or by finish */
	}
	if (usr1_seen) {
		struct rta_buf b = RTA_BUF_INIT;

		usr1_seen = 0;
		if (rta_metrics_format(&st->m, &b) == 0) {
			fwrite(b.data, 1, b.len, stderr);
			fflush(stderr);
		}
		rta_buf_release(&b);
	}
	if (st->m.path != NULL && rta_metrics_write(&st->m, 0, &err) !=
	    RTA_OK) {
		notice(st, &err, "io-error", 0, "%s", err.text);
		rta_cli_status(&st->status, RTA_EXIT_IO);
	}
}

static int
stage_lends(void *arg, const void *p, size_t n)
{
	struct rta_stage *st = arg;

	return st->rd != NULL && rta_reader_holds(st->rd, p, n);
}

/* The reader is about to reuse bytes the output may still hold. */
static void
stage_moving(void *arg)
{
	struct rta_stage *st = arg;
	struct rta_error err;

	if (st->out_ready && !st->out.failed)
		(void)rta_output_settle(&st->out, &err);	/* sticky */
}

int
rta_stage_start(struct rta_stage *st, int argc, char **argv)
{
	struct rta_error err;
	struct sigaction sa;

	st->operands = argv;
	st->noperands = argc;
	if (st->ropts.idle == NULL) {
		/* a program with its own hook calls rta_stage_idle from it */
		st->ropts.idle = rta_stage_idle;
		st->ropts.idle_arg = st;
	}
	st->ropts.ahead = 1;	/* reads overlap the work on a second core */
	st->ropts.moving = stage_moving;
	st->ropts.moving_arg = st;
	if ((st->rd = rta_reader_new(&st->ropts)) == NULL) {
		notice(st, NULL, "no-memory", 0, "out of memory");
		return RTA_EXIT_LIMIT;
	}
	if (st->dead_letter != NULL) {
		if (rta_deadletter_open(&st->dlq, st->dead_letter, st->name,
		    &err) != RTA_OK)
			goto fail;
		st->dlq_open = 1;
	}
	if (st->metrics_path != NULL &&
	    rta_metrics_open(&st->m, st->metrics_path, &err) != RTA_OK)
		goto fail;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: wake blocked reads */
	st->progress = !st->quiet && isatty(STDERR_FILENO) &&
	    !isatty(STDOUT_FILENO);
	st->progress_at = rta_now() + PROGRESS_DELAY;
	return 0;
fail:
	notice(st, &err, "io-error", 0, "%s", err.text);
	if (st->dlq_open)
		(void)rta_deadletter_close(&st->dlq, NULL);
	st->dlq_open = 0;
	rta_reader_free(st->rd);
	st->rd = NULL;
	rta_metrics_release(&st->m);
	return rta_exit_code(err.code);
}

static void
progress(struct rta_stage *st, int done)
{
	off_t got, total;
	int64_t now;

	if (done) {
		if (st->progress_at == 0)
			fputs("\r\033[K", stderr);
		return;
	}
	now = rta_now();
	if (st->progress_at == 0 ? now < st->progress_next :
	    now < st->progress_at)
		return;
	st->progress_at = 0;
	st->progress_next = now + PROGRESS_EVERY;
	rta_reader_progress(st->rd, &got, &total);
	if (total > 0)
		fprintf(stderr, "\r\033[K%s: %.0f%% %llu records", st->name,
		    100.0 * (double)got / (double)total,
		    (unsigned long long)st->m.in);
	else
		fprintf(stderr, "\r\033[K%s: %llu records", st->name,
		    (unsigned long long)st->m.in);
}

/*
 * Between records (the counters balance here): SIGUSR1 at once; every
 * TICK_EVERY records the metrics file and progress.
 */
static void
tick(struct rta_stage *st)
{
	struct rta_error err;

	if (usr1_seen)
		rta_stage_idle(st);
	if ((++st->ticks & (TICK_EVERY - 1)) != 0)
		return;
	if (st->m.path != NULL && rta_metrics_write(&st->m, 0, &err) !=
	    RTA_OK) {
		notice(st, &err, "io-error", 0, "%s", err.text);
		rta_cli_status(&st->status, RTA_EXIT_IO);
	}
	if (st->progress)
		progress(st, 0);
}

/* "events.ndjson:42", "x.rta: byte 120", with kafka coordinates. */
static void
where_text(char *out, size_t n, const struct rta_where *w)
{
	char src[256], topic[160];

	rta_quote(src, sizeof(src), w->source ? w->source : "<input>",
	    w->source ? strlen(w->source) : 7, 200);
	if (w->has_kafka) {
		rta_quote(topic, sizeof(topic), w->kafka.topic,
		    w->kafka.topic_len, 100);
		snprintf(out, n, "%s:%llu: topic %s partition %d offset %lld",
		    src, (unsigned long long)w->line, topic,
		    (int)w->kafka.partition, (long long)w->kafka.offset);
	} else if (w->line > 0)
		snprintf(out, n, "%s:%llu", src, (unsigned long long)w->line);
	else
		snprintf(out, n, "%s: byte %llu", src,
		    (unsigned long long)w->offset);
}

void
rta_github_escape(struct rta_buf *b, const char *s, size_t len, int property)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '%')
			rta_buf_adds(b, "%25");
		else if (s[i] == '\r')
			rta_buf_adds(b, "%0D");
		else if (s[i] == '\n')
			rta_buf_adds(b, "%0A");
		else if (property && s[i] == ':')
			rta_buf_adds(b, "%3A");
		else if (property && s[i] == ',')
			rta_buf_adds(b, "%2C");
		else
			rta_buf_addc(b, s[i]);
	}
}

/*
 * A notice of the stage itself, not about one record (an output, input,
 * dead-letter or metrics file failing; stopping at --max-errors): plain
 * on stderr, or in the --format asked for, so that a reader of JSON
 * messages gets nothing else.
 */
static void
notice(struct rta_stage *st, const struct rta_error *e, const char *reason,
    int warning, const char *fmt, ...)
{
	struct rta_buf b = RTA_BUF_INIT;
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (e != NULL && e->reason != NULL)
		reason = e->reason;
	switch (st->msg_format) {
	case RTA_MSG_GITHUB:
		rta_buf_adds(&b, warning ? "::warning::" : "::error::");
		rta_github_escape(&b, st->name, strlen(st->name), 0);
		rta_buf_adds(&b, ": ");
		rta_github_escape(&b, text, strlen(text), 0);
		rta_buf_addc(&b, '\n');
		break;
	case RTA_MSG_JSON:
		rta_buf_adds(&b, "{\"stage\":");
		rta_json_put_string(&b, st->name, strlen(st->name));
		rta_buf_adds(&b, warning ? ",\"level\":\"warning\"" :
		    ",\"level\":\"error\"");
		rta_buf_adds(&b, ",\"reason\":");
		rta_json_put_string(&b, reason, strlen(reason));
		rta_buf_adds(&b, ",\"message\":");
		rta_json_put_bytes_lossy(&b, text, strlen(text));
		rta_buf_adds(&b, "}\n");
		break;
	default:
		rta_warnx("%s", text);
		return;
	}
	fwrite(b.data, 1, b.len, stderr);
	rta_buf_release(&b);
}

/* One bad-record message on stderr, in the --format asked for. */
static void
message(struct rta_stage *st, const struct rta_where *w,
    const struct rta_error *e, const char *detail, size_t dlen)
{
	struct rta_buf b = RTA_BUF_INIT;
	const char *src = w->source ? w->source : "<input>";
	char where[512];

	switch (st->msg_format) {
	case RTA_MSG_GITHUB:
		rta_buf_adds(&b, "::error file=");
		rta_github_escape(&b, src, strlen(src), 1);
		if (w->line > 0)
			rta_buf_printf(&b, ",line=%llu::",
			    (unsigned long long)w->line);
		else
			rta_buf_printf(&b, "::byte %llu: ",
			    (unsigned long long)w->offset);
		rta_github_escape(&b, e->text, strlen(e->text), 0);
		rta_buf_addc(&b, '\n');
		break;
	case RTA_MSG_JSON:
		rta_buf_adds(&b, "{\"stage\":");
		rta_json_put_string(&b, st->name, strlen(st->name));
		rta_buf_adds(&b, ",\"source\":");
		rta_json_put_bytes_lossy(&b, src, strlen(src));
		if (w->has_kafka) {
			rta_buf_adds(&b, ",\"topic\":");
			rta_json_put_bytes_lossy(&b, w->kafka.topic,
			    w->kafka.topic_len);
			rta_buf_printf(&b, ",\"partition\":%d,\"offset\":%lld",
			    (int)w->kafka.partition,
			    (long long)w->kafka.offset);
		}
		if (w->line > 0)
			rta_buf_printf(&b, ",\"line\":%llu",
			    (unsigned long long)w->line);
		else
			rta_buf_printf(&b, ",\"byte_offset\":%llu",
			    (unsigned long long)w->offset);
		rta_buf_adds(&b, ",\"reason\":");
		rta_json_put_string(&b, e->reason ? e->reason : "error",
		    strlen(e->reason ? e->reason : "error"));
		rta_buf_adds(&b, ",\"message\":");
		rta_json_put_bytes_lossy(&b, e->text, strlen(e->text));
		if (dlen > 0) {
			rta_buf_addc(&b, ',');
			rta_buf_add(&b, detail, dlen);
		}
		rta_buf_adds(&b, "}\n");
		break;
	default:
		where_text(where, sizeof(where), w);
		rta_warnx("%s: %s", where, e->text);
		return;
	}
	fwrite(b.data, 1, b.len, stderr);
	rta_buf_release(&b);
}

static void
reject(struct rta_stage *st, const struct rta_where *w,
    const struct rta_error *e, const void *raw, size_t len, uint64_t total,
    const char *detail, size_t dlen)
{
	struct rta_error err;

	st->m.in++;
	rta_metrics_reject(&st->m, e->reason);
	st->errors++;
	rta_cli_status(&st->status, RTA_EXIT_DATA);
	/* machine-read formats get every record; people get the first few */
	if (!st->quiet && (st->shown < SHOW_ERRORS ||
	    st->msg_format != RTA_MSG_TEXT)) {
		message(st, w, e, detail, dlen);
		st->shown++;
	}
	if (st->dlq_open && rta_deadletter_put_detail(&st->dlq, w, e, raw,
	    len, total, detail, dlen, &err) != RTA_OK) {
		notice(st, &err, "io-error", 0, "%s", err.text);
		rta_cli_status(&st->status, rta_exit_code(err.code));
		st->stop = 1;
	}
	if (st->max_errors > 0 && st->errors >= st->max_errors) {
		if (!st->quiet && st->max_errors > 1)
			notice(st, NULL, "max-errors", 1,
			    "stopping after %llu bad records "
			    "(--max-errors)", (unsigned long long)st->errors);
		st->stop = 1;
	}
}

void
rta_stage_reject(struct rta_stage *st, const struct rta_event *ev,
    const struct rta_error *e, const void *raw, size_t len)
{
	/* the record was counted in when it was read */
	st->m.in--;
	if (ev != NULL)
		rta_metrics_tenant(&st->m, ev->tenant, ev->tenant_len,
		    RTA_TENANT_REJECTED);
	reject(st, rta_reader_where(st->rd), e, raw, len, len, NULL, 0);
}

void
rta_stage_reject_detail(struct rta_stage *st, const struct rta_event *ev,
    const struct rta_error *e, const void *raw, size_t len,
    const char *detail, size_t dlen)
{
	st->m.in--;
	if (ev != NULL)
		rta_metrics_tenant(&st->m, ev->tenant, ev->tenant_len,
		    RTA_TENANT_REJECTED);
	reject(st, rta_reader_where(st->rd), e, raw, len, len, detail, dlen);
}

int
rta_stage_next(struct rta_stage *st, struct rta_record *rec)
{
	struct rta_error err;
	const unsigned char *raw;
	size_t len;
	uint64_t total;
	int rc;

	tick(st);
	for (;;) {
		if (st->stop)
			return RTA_EOF;
		if (!rta_reader_is_open(st->rd)) {
			const char *op;

			if (st->next_operand >= st->noperands &&
			    !(st->noperands == 0 && st->next_operand == 0))
				return RTA_EOF;
			op = st->noperands == 0 ? "-" :
			    st->operands[st->next_operand];
			st->next_operand++;
			if ((rc = rta_reader_open(st->rd, op, &err)) != RTA_OK) {
				notice(st, &err, "io-error", 0, "%s", err.text);
				rta_cli_status(&st->status, rta_exit_code(rc));
				if (rc == RTA_ENOMEM)
					st->stop = 1;
				continue;
			}
		}
		rc = rta_reader_next(st->rd, rec, &err);
		switch (rc) {
		case RTA_OK:
			if (st->seen_encoding == RTA_FMT_AUTO)
				st->seen_encoding = rta_reader_encoding(st->rd);
			if (rec->kind == RTA_REC_END)
				continue;	/* each input's own end */
			if (rec->kind == RTA_REC_EVENT) {
				st->m.in++;
				rta_metrics_event_time(&st->m, rec->ev.ts);
			} else if (rec->kind == RTA_REC_VALUE ||
			    rec->kind == RTA_REC_AGGREGATE)
				st->m.in++;
			return RTA_OK;
		case RTA_EDATA:
		case RTA_ELIMIT:
			if (st->seen_encoding == RTA_FMT_AUTO)
				st->seen_encoding = rta_reader_encoding(st->rd);
			rta_reader_raw(st->rd, &raw, &len, &total);
			reject(st, rta_reader_where(st->rd), &err, raw, len,
			    total, NULL, 0);
			continue;
		case RTA_EOF:
			continue;
		default:
			notice(st, &err, "io-error", 0, "%s", err.text);
			rta_cli_status(&st->status, rta_exit_code(rc));
			if (rc == RTA_ENOMEM)
				st->stop = 1;
			continue;
		}
	}
}

void
rta_stage_set_output(struct rta_stage *st, enum rta_format f)
{
	struct rta_error err;

	if (st->out_ready)
		return;
	if (f == RTA_FMT_AUTO)
		f = st->seen_encoding == RTA_FMT_RTA &&
		    !isatty(STDOUT_FILENO) ? RTA_FMT_RTA : RTA_FMT_NDJSON;
	rta_output_init(&st->out, STDOUT_FILENO, "<stdout>", f);
	st->out.unbuffered = st->unbuffered;
	st->out.header_done = st->out_continues;
	if (st->compress > 0 &&
	    rta_output_compress(&st->out, st->compress, &err) != RTA_OK) {
		notice(st, &err, "io-error", 0, "%s", err.text);
		rta_cli_status(&st->status, RTA_EXIT_LIMIT);
		st->stop = 1;
	}
	/* frames passed on as they came are written from the reader's
	 * buffer, not copied */
	rta_output_lender(&st->out, stage_lends, st);
	st->out_ready = 1;
}

/* Write rec; counted as out unless derived. */
static int
put_record(struct rta_stage *st, const struct rta_record *rec, int derived)
{
	struct rta_error err;
	int rc;

	if (!st->out_ready)
		rta_stage_set_output(st, st->to);
	rc = rta_output_record(&st->out, rec, &err);
	if (rc == RTA_EDATA && derived) {
		/* made here, from many records: no input to blame; the
		 * record itself goes to the dead-letter file, in NDJSON */
		struct rta_buf nd = RTA_BUF_INIT;
		struct rta_error e2;

		notice(st, &err, err.reason != NULL ? err.reason : "bad-value",
		    0, "cannot write a record: %s", err.text);
		rta_cli_status(&st->status, RTA_EXIT_DATA);
		if (st->dlq_open && rta_ndjson_put(&nd, rec) == 0 &&
		    rta_deadletter_put(&st->dlq, NULL, &err, nd.data, nd.len > 0 ? nd.len - 1 : 0, nd.len > 0 ?
		    nd.len - 1 : 0, &e2) != RTA_OK) {
			notice(st, &e2, "io-error", 0, "%s", e2.text);
			rta_cli_status(&st->status, RTA_EXIT_IO);
		}
		rta_buf_release(&nd);
		return RTA_OK;
	}
	if (rc == RTA_EDATA) {
		/* this record cannot be written; the stream can */
		const unsigned char *raw;
		size_t len;
		uint64_t total;

		rta_reader_raw(st->rd, &raw, &len, &total);
		rta_stage_reject(st, rec->kind == RTA_REC_EVENT ? &rec->ev :
		    NULL, &err, raw, len);
		return RTA_OK;
	}
	if (rc != RTA_OK) {
		rta_cli_check_pipe(st->out.fail_errno);
		notice(st, &err, "io-error", 0, "%s", err.text);
		rta_cli_status(&st->status, rta_exit_code(rc));
		st->out_reported = 1;
		st->stop = 1;
		return rc;
	}
	if (derived) {
		if (rec->kind == RTA_REC_WATERMARK &&
		    rec->watermark > st->m.watermark)
			st->m.watermark = rec->watermark;
		return RTA_OK;
	}
	switch (rec->kind) {
	case RTA_REC_EVENT:
	case RTA_REC_AGGREGATE:
		st->m.out++;
		if (st->m.path != NULL)
			rta_metrics_tenant(&st->m, rec->ev.tenant,
			    rec->ev.tenant_len, RTA_TENANT_OUT);
		break;
	case RTA_REC_VALUE:
		st->m.out++;
		break;
	case RTA_REC_WATERMARK:
		if (rec->watermark > st->m.watermark)
			st->m.watermark = rec->watermark;
		break;
	default:
		break;
	}
	return RTA_OK;
}

int
rta_stage_emit(struct rta_stage *st, const struct rta_record *rec)
{
	return put_record(st, rec, 0);
}

int
rta_stage_emit_derived(struct rta_stage *st, const struct rta_record *rec)
{
	return put_record(st, rec, 1);
}

int
rta_stage_finish(struct rta_stage *st)
{
	struct rta_error err;

	if (st->progress)
		progress(st, 1);
	/*
	 * An empty binary input still gives a valid (empty) binary stream,
	 * and compressed output a valid (empty) zstd frame.
	 */
	if (!st->out_ready && !st->sink && (st->to == RTA_FMT_RTA ||
	    st->compress > 0 ||
	    (st->to == RTA_FMT_AUTO && st->seen_encoding == RTA_FMT_RTA)))
		rta_stage_set_output(st, st->to);
	if (st->out_ready) {
		if (st->out.failed) {
			/* it failed in a flush between records: say so now */
			if (!st->out_reported) {
				notice(st, NULL, "io-error", 0,
				    "write error: %s",
				    strerror(st->out.fail_errno));
				rta_cli_status(&st->status, RTA_EXIT_IO);
			}
			rta_output_release(&st->out);
		} else if (rta_output_close(&st->out, &err) != RTA_OK) {
			rta_cli_check_pipe(st->out.fail_errno);
			notice(st, &err, "io-error", 0, "%s", err.text);
			rta_cli_status(&st->status, rta_exit_code(err.code));
		}
	}
	if (!st->quiet && st->errors > st->shown)
		rta_warnx("%llu more bad records not shown",
		    (unsigned long long)(st->errors - st->shown));
	if (st->m.path != NULL && rta_metrics_write(&st->m, 1, &err) !=
	    RTA_OK) {
		notice(st, &err, "io-error", 0, "%s", err.text);
		rta_cli_status(&st->status, RTA_EXIT_IO);
	}
	if (st->dlq_open && rta_deadletter_close(&st->dlq, &err) != RTA_OK) {
		notice(st, &err, "io-error", 0, "%s", err.text);
		rta_cli_status(&st->status, RTA_EXIT_IO);
	}
	rta_reader_free(st->rd);
	st->rd = NULL;
	rta_metrics_release(&st->m);
	return rta_cli_finish(st->status);
}
