/*
 * rta_registry.h: a directory of schemas, one per event type and version.
 *
 * Every *.json file directly in the directory is one schema.  Its event
 * type and version come from, in this order of precedence:
 *
 *   "x-rta-event-type" and "x-rta-version" in the document;
 *   the last segment of its "$id", read like a file name;
 *   the file name itself: TYPE.vN.json (page_view.v2.json).
 *
 * Where two of these say different things, that is a problem (and the
 * file is not used), as are a file with no version, two files for one
 * (type, version), and every problem of the schemas themselves.  Each
 * problem names its file; one about a name points at the member that
 * gives it ("/x-rta-version", "/$id"), with its line, unless the name is
 * the file's own.  Lookup by (type, version) is a
 * hash probe; the last answer is cached, since events of one type come
 * in runs.
 */
#ifndef RTA_REGISTRY_H
#define RTA_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "rta_schema.h"

struct rta_registry_entry {
	char			*type;		/* NUL-terminated */
	size_t			 type_len;
	uint32_t		 version;
	char			*path;
	struct rta_schema	*schema;
	struct rta_registry_entry *latest;	/* of this type */
	struct rta_registry_entry *previous;	/* version, or NULL */
};

struct rta_registry {
	struct rta_registry_entry	*e;		/* by type, version */
	size_t				 n;
	uint32_t			*table;		/* hash, -1 empty */
	uint32_t			 mask;
	const struct rta_registry_entry	*last;
};

void	rta_registry_init(struct rta_registry *r);
void	rta_registry_release(struct rta_registry *r);

/*
 * Load every schema in dir.  0 if all loaded; -1 with the problems in ps
 * (the registry then holds the schemas that did load, for `check`).
 */
int	rta_registry_load(struct rta_registry *r, const char *dir,
	    unsigned flags, struct rta_schema_problems *ps);

/*
 * Add one schema file as (type, version) taken from the document or the
 * file name as above; 0 or -1 with ps filled.  Lookups see it, and the
 * links of every entry are right again, after rta_registry_index.
 */
int	rta_registry_add_file(struct rta_registry *r, const char *path,
	    unsigned flags, struct rta_schema_problems *ps);

/* Build the lookup table and version links; 0 or -1 (ENOMEM). */
int	rta_registry_index(struct rta_registry *r);

/* The schema of (type, version), or NULL. */
const struct rta_registry_entry *rta_registry_find(struct rta_registry *r,
	    const char *type, size_t len, uint32_t version);

/* The newest version of type, or NULL. */
const struct rta_registry_entry *rta_registry_latest(struct rta_registry *r,
	    const char *type, size_t len);

/*
 * Read "TYPE.vN" (with or without ".json") from name[0..len): 1 with
 * *type_len and *version set, 0 if it has no version suffix.
 */
int	rta_schema_name_parse(const char *name, size_t len, size_t *type_len,
	    uint32_t *version);

#endif
