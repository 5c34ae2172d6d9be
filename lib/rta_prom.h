/*
 * rta_prom.h: several texts in the Prometheus exposition format (0.0.4)
 * checked line by line and merged into one valid text, the way
 * rta-query --http serves the stages' --metrics files on /metrics.
 *
 *	p = rta_prom_new();
 *	rta_prom_add(p, NULL, own, ownlen, NULL);	(the caller's series)
 *	rta_prom_add_file(p, "/run/rta/validate.prom", RTA_PROM_FILE_MAX);
 *	rta_prom_format(p, &out);
 *	rta_prom_free(p);
 *
 * What a line may be.  Lines end in LF; a CR before it is taken off, and
 * the last line needs no LF.  A line must be UTF-8 without control bytes
 * other than tab, and at most RTA_PROM_LINE_MAX bytes.  Blank lines are
 * skipped.  The lines kept are
 *   # HELP name docstring	(escapes \\ and \n only)
 *   # TYPE name counter|gauge|histogram|summary|untyped
 *   name[{label="value",...}] value [timestamp]
 * with names as the format has them ([a-zA-Z_:][a-zA-Z0-9_:]*, labels
 * [a-zA-Z_][a-zA-Z0-9_]* and not starting "__", each once), label values
 * with the escapes \\, \" and \n only, a value that is a decimal number,
 * NaN, +Inf, -Inf or Inf, and a timestamp of integer milliseconds.
 * Spaces and tabs may stand between the tokens.  In a histogram's
 * samples an le label, in a summary's a quantile label, must hold a
 * number, since parsers read them as numbers.  Any other line is
 * dropped and counted (enum rta_prom_drop), as are other comments: the
 * merge reorders lines, so a comment would end up beside lines it was
 * not written for.
 *
 * How texts merge.  Lines are grouped by metric family (a histogram's
 * _bucket, _sum and _count samples and a summary's _sum and _count with
 * their family when its TYPE came first, as a parser groups them), and
 * each family is written once: HELP, TYPE, then its samples in the
 * order they came, the first text's first.  A family with no samples is
 * left out.  The first HELP a family is given is kept (another text's
 * different one is dropped, counted as a conflict), and so is the first
 * TYPE: a text whose TYPE differs has its lines of that family dropped
 * (conflicts).  A family given no TYPE is untyped until a text types it
 * counter, gauge or untyped.  Within one text a second HELP or TYPE of a
 * family, or a sample whose name and labels came before, is a duplicate;
 * a TYPE after the family's samples is a syntax error, as in the format.
 *
 * The same series from two texts.  Prometheus takes one sample a series
 * in a scrape, so two files that give one series with the same labels
 * (two rta-store ingest processes into different datasets both write
 * rta_store_records_stored_total, unlabelled) would lose one of them.
 * Each such copy gets a label file="PATH" (the caller's own series,
 * source NULL, never do); every other series is written as its file
 * wrote it, so a series keeps its name and labels for as long as no
 * other file repeats it.  A copy that already has a file label, or any
 * sample still equal to one written before, is dropped as a duplicate:
 * the text written never holds a series twice.
 *
 * The files.  rta_prom_format ends with three families of its own, one
 * series each per file given to rta_prom_add_file (by path, each path
 * once): rta_query_metrics_file_up{file} (1 read, 0 missing, unreadable,
 * not a regular file or over the size limit: never a failure),
 * rta_query_metrics_file_mtime_seconds{file} (when it was last written,
 * so that a stage that stopped rewriting it shows) and
 * rta_query_metrics_file_dropped_lines{file,reason} (per reason, zeros
 * included).  Their names are kept for them: a text's lines of those
 * families are dropped as conflicts.
 *
 * Memory: each text is copied in its normalized form (a file read at
 * most max bytes, in chunks: its size as stat says it never sizes an
 * allocation), plus indexes of its families and series.
 */
#ifndef RTA_PROM_H
#define RTA_PROM_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"

#define RTA_PROM_LINE_MAX	65536	/* bytes, LF not counted */
#define RTA_PROM_FILE_MAX	(4U << 20)	/* bytes read of a file */

/* Why a line was dropped. */
enum rta_prom_drop {
	RTA_PROM_SYNTAX,	/* not a well-formed line of the format */
	RTA_PROM_LONG,		/* over RTA_PROM_LINE_MAX bytes */
	RTA_PROM_COMMENT,	/* a comment other than HELP and TYPE */
	RTA_PROM_DUPLICATE,	/* a HELP, TYPE or series given again */
	RTA_PROM_CONFLICT,	/* another type or help than the family's */
	RTA_PROM_NDROP
};

/* "syntax", "long", "comment", "duplicate", "conflict". */
const char *rta_prom_drop_name(enum rta_prom_drop d);

struct rta_prom;

/* A new, empty merge (free with rta_prom_free), or NULL: no memory. */
struct rta_prom *rta_prom_new(void);
/* Free p and all it holds; accepts NULL. */
void	rta_prom_free(struct rta_prom *p);

/*
 * Take the len bytes at text (not NUL-terminated; any bytes) from
 * source: a name for the file label (copied), or NULL for the caller's
 * own series.  When drops is not NULL, drops[reason] is set to the
 * number of lines of this text dropped for it (samples dropped later by
 * rta_prom_format are not counted there).  RTA_OK, or RTA_ENOMEM: p then
 * holds the lines before the failure and may still be formatted.
 */
int	rta_prom_add(struct rta_prom *p, const char *source,
	    const void *text, size_t len, uint64_t drops[RTA_PROM_NDROP]);

/*
 * Read the regular file at path (without following a FIFO's open:
 * nothing here blocks) and take it as source path, unless it is bigger
 * than max bytes.  A path taken before is skipped.  What came of it is
 * in rta_prom_format's file families.  RTA_OK (the file read or not),
 * or RTA_ENOMEM.
 */
int	rta_prom_add_file(struct rta_prom *p, const char *path, size_t max);

/*
 * Append the merged text to out: the families, then the file families
 * when a file was added.  RTA_OK, or RTA_ENOMEM (out then holds part of
 * the text).  p is not changed: formatting twice gives the same text.
 */
int	rta_prom_format(const struct rta_prom *p, struct rta_buf *out);

#endif
