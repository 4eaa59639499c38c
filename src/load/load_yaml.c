/*
 * Load stage: YAML text to a small tree that keeps every value's position.
 * Built on libyaml's event API so that aliases can be refused (no "billion
 * laughs"), duplicate keys caught and depth bounded.
 */
#include "load_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../base/fileio.h"
#include "../base/utf8.h"

/*
 * libyaml counts NEL (U+0085), LINE SEPARATOR and PARAGRAPH SEPARATOR as
 * line breaks; editors and grep count LF, CR and CRLF only.  In a text
 * that holds one, marks are mapped back by walking the text from the
 * last mark: marks mostly come in order, so the walk is linear.
 */
struct linemap {
	bool needed;   /* the text holds NEL, LS or PS */
	size_t off;    /* byte offset where libyaml's line yline starts */
	size_t yline;  /* libyaml's line, from 0 */
	uint32_t line; /* our line of it, from 1 */
	uint32_t col0; /* characters of our line before it */
};

struct builder {
	struct linemap map;
	struct job *job;
	struct arena *nodes; /* the tree's nodes and lists; strings go to
	                      * the job's arena */
	const char *file;
	const char *text;
	size_t len;
	struct ynode *stack[YNODE_MAX_DEPTH + 1];
	size_t nitems[YNODE_MAX_DEPTH + 1]; /* capacity of each open node */
	int depth;
	bool failed;
};

/* Whether text holds a line break that only libyaml counts. */
static bool
has_unicode_breaks(const char *text, size_t len)
{
	const char *end = text + len;
	for (const char *p = text; (p = memchr(p, 0xC2, (size_t)(end - p)));
	     p++)
		if (p + 1 < end && (unsigned char)p[1] == 0x85)
			return true;
	for (const char *p = text; (p = memchr(p, 0xE2, (size_t)(end - p)));
	     p++)
		if (p + 2 < end && (unsigned char)p[1] == 0x80 &&
		    ((unsigned char)p[2] == 0xA8 ||
		     (unsigned char)p[2] == 0xA9))
			return true;
	return false;
}

/* Starts the walk at libyaml's first line, after a byte order mark. */
static void
map_reset(struct builder *b)
{
	struct linemap *lm = &b->map;
	lm->off = b->len >= 3 && memcmp(b->text, "\xEF\xBB\xBF", 3) == 0;
	lm->off *= 3;
	lm->yline = 0;
	lm->line = 1;
	lm->col0 = 0;
}

/* Moves the walk to the start of libyaml's next line. */
static void
map_next_line(struct builder *b)
{
	struct linemap *lm = &b->map;
	const unsigned char *t = (const unsigned char *)b->text;
	uint32_t chars = 0;
	size_t i = lm->off;
	for (; i < b->len; i++) {
		size_t k = i + 1 < b->len && t[i] == '\r' && t[i + 1] == '\n'
		               ? 2
		           : t[i] == '\r' || t[i] == '\n' ? 1
		                                          : 0;
		if (k > 0) {
			lm->line++;
			lm->col0 = 0;
			lm->off = i + k;
			lm->yline++;
			return;
		}
		k = i + 1 < b->len && t[i] == 0xC2 && t[i + 1] == 0x85 ? 2
		    : i + 2 < b->len && t[i] == 0xE2 && t[i + 1] == 0x80 &&
		            (t[i + 2] == 0xA8 || t[i + 2] == 0xA9)
		        ? 3
		        : 0;
		if (k > 0) {
			lm->col0 += chars + 1;
			lm->off = i + k;
			lm->yline++;
			return;
		}
		chars += (t[i] & 0xC0) != 0x80;
	}
	lm->off = b->len;
	lm->yline++;
}

/* libyaml counts lines and characters from 0; we report them from 1. */
static struct loc
mark_loc(struct builder *b, yaml_mark_t m)
{
	if (!b->map.needed)
		return (struct loc){b->file, (uint32_t)m.line + 1,
		                    (uint32_t)m.column + 1};
	if (m.line < b->map.yline)
		map_reset(b);
	while (b->map.yline < m.line && b->map.off < b->len)
		map_next_line(b);
	return (struct loc){b->file, b->map.line,
	                    b->map.col0 + (uint32_t)m.column + 1};
}

static void
add_child(struct builder *b, struct ynode *n)
{
	struct ynode *top = b->stack[b->depth];
	size_t *cap = &b->nitems[b->depth];
	bool map = top->type == YNODE_MAP;
	if (top->nitems == (map ? 2 * YNODE_MAX_KEYS : YNODE_MAX_ITEMS)) {
		diag_error(b->job->diag, n->loc,
		           map ? "a mapping with more than %d keys"
		               : "a list with more than %d items",
		           map ? YNODE_MAX_KEYS : YNODE_MAX_ITEMS);
		b->failed = true;
		return;
	}
	if (top->nitems == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		top->items = arena_grow(b->nodes, top->items, top->nitems, ncap,
		                        sizeof *top->items);
		*cap = ncap;
	}
	top->items[top->nitems++] = n;
}

static bool
same_key(const struct ynode *a, const struct ynode *k)
{
	return a->type == YNODE_SCALAR && k->type == YNODE_SCALAR &&
	       a->len == k->len && memcmp(a->str, k->str, a->len) == 0;
}

/* Called when a value is about to be added to a mapping as a key. */
static void
check_duplicate(struct builder *b, const struct ynode *map,
                const struct ynode *key)
{
	for (size_t i = 0; i < map->nitems; i += 2) {
		if (same_key(map->items[i], key)) {
			diag_error(b->job->diag, key->loc,
			           "duplicate key \"%s\"", key->str);
			diag_note(b->job->diag, map->items[i]->loc,
			          "\"%s\" was first given here", key->str);
			return;
		}
	}
}

static void
push_node(struct builder *b, struct ynode *n)
{
	if (b->depth >= 0) {
		struct ynode *top = b->stack[b->depth];
		if (top->type == YNODE_MAP && top->nitems % 2 == 0) {
			if (n->type != YNODE_SCALAR) {
				diag_error(b->job->diag, n->loc,
				           "a mapping key must be a plain "
				           "string, not %s",
				           load_kind(n));
				b->failed = true;
			} else {
				check_duplicate(b, top, n);
			}
		}
		add_child(b, n);
	}
}

static bool
refuse_extras(struct builder *b, yaml_event_t *ev, yaml_char_t *anchor,
              yaml_char_t *tag, int implicit)
{
	struct loc loc = mark_loc(b, ev->start_mark);
	if (anchor != NULL) {
		diag_error(b->job->diag, loc,
		           "anchors (\"&%s\") are not supported; "
		           "write the value out",
		           (const char *)anchor);
		return false;
	}
	if (tag != NULL && !implicit) {
		/* Show the tag as it is usually written. */
		const char *t = (const char *)tag;
		const char *core = "tag:yaml.org,2002:";
		bool is_core = strncmp(t, core, strlen(core)) == 0;
		diag_error(b->job->diag, loc,
		           "tags (\"%s%s\") are not supported",
		           is_core ? "!!" : "", is_core ? t + strlen(core) : t);
		return false;
	}
	return true;
}

static void
report_parser_error(struct builder *b, const yaml_parser_t *p)
{
	struct diag *d = b->job->diag;
	if (p->error == YAML_READER_ERROR) {
		/* libyaml puts reader errors at 1:1; find the byte.  UTF-8
		 * was checked before, so this is a character YAML forbids. */
		struct loc loc =
		    diag_offset_loc(b->file, b->text, p->problem_offset);
		if (p->problem_value >= 0 && p->problem_value < 0x20)
			diag_error(d, loc,
			           "control character 0x%02X is not allowed in "
			           "YAML",
			           (unsigned)p->problem_value);
		else
			diag_error(d, loc, "YAML syntax error: %s",
			           p->problem ? p->problem
			                      : "unreadable input");
		return;
	}
	const char *problem = p->problem ? p->problem : "syntax error";
	struct loc loc = mark_loc(b, p->problem_mark);
	if (p->context != NULL)
		diag_error(d, loc, "YAML syntax error: %s %s", problem,
		           p->context);
	else
		diag_error(d, loc, "YAML syntax error: %s", problem);
}

/* A scalar: a new leaf node, or NULL with b->failed set after
 * reporting. */
static struct ynode *
on_scalar(struct builder *b, yaml_event_t *ev, struct loc loc)
{
	if (!refuse_extras(b, ev, ev->data.scalar.anchor, ev->data.scalar.tag,
	                   ev->data.scalar.plain_implicit ||
	                       ev->data.scalar.quoted_implicit)) {
		b->failed = true;
		return NULL;
	}
	if (ev->data.scalar.length > YNODE_MAX_STRING) {
		diag_error(b->job->diag, loc, "a string longer than %d bytes",
		           YNODE_MAX_STRING);
		b->failed = true;
		return NULL;
	}
	struct ynode *n = arena_alloc(b->nodes, sizeof *n);
	n->type = YNODE_SCALAR;
	n->loc = loc;
	n->str =
	    arena_strndup(b->job->arena, (const char *)ev->data.scalar.value,
	                  ev->data.scalar.length);
	n->len = ev->data.scalar.length;
	n->is_plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	if (strlen(n->str) != n->len) {
		diag_error(b->job->diag, loc, "NUL character in a string");
		b->failed = true;
		return NULL;
	}
	return n;
}

/* The start of a list or mapping: a new node, or NULL with b->failed
 * set after reporting. */
static struct ynode *
on_start(struct builder *b, yaml_event_t *ev, struct loc loc)
{
	bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
	if (!refuse_extras(b, ev,
	                   seq ? ev->data.sequence_start.anchor
	                       : ev->data.mapping_start.anchor,
	                   seq ? ev->data.sequence_start.tag
	                       : ev->data.mapping_start.tag,
	                   seq ? ev->data.sequence_start.implicit
	                       : ev->data.mapping_start.implicit)) {
		b->failed = true;
		return NULL;
	}
	if (b->depth + 1 >= YNODE_MAX_DEPTH) {
		diag_error(b->job->diag, loc, "nesting deeper than %d levels",
		           YNODE_MAX_DEPTH);
		b->failed = true;
		return NULL;
	}
	struct ynode *n = arena_alloc(b->nodes, sizeof *n);
	n->type = seq ? YNODE_SEQ : YNODE_MAP;
	n->loc = loc;
	return n;
}

/*
 * One event into the tree: a new node goes under the open list or
 * mapping (or is the root, into *root).  False at the end of the stream.
 */
static bool
on_event(struct builder *b, yaml_event_t *ev, int *docs, struct ynode **root)
{
	struct loc loc = mark_loc(b, ev->start_mark);
	struct ynode *n = NULL;
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return false;
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1) {
			diag_error(
			    b->job->diag, loc,
			    "only one YAML document is allowed per file");
			b->failed = true;
		}
		break;
	case YAML_ALIAS_EVENT:
		diag_error(b->job->diag, loc,
		           "aliases (\"*%s\") are not supported; write the "
		           "value out",
		           (const char *)ev->data.alias.anchor);
		b->failed = true;
		break;
	case YAML_SCALAR_EVENT:
		n = on_scalar(b, ev, loc);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		n = on_start(b, ev, loc);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		b->depth--;
		break;
	default:
		break;
	}
	if (n == NULL)
		return true;
	if (b->depth < 0)
		*root = n;
	push_node(b, n);
	if (n->type != YNODE_SCALAR) {
		b->depth++;
		b->stack[b->depth] = n;
		b->nitems[b->depth] = 0;
	}
	return true;
}

/* Runs libyaml over b->text and builds the tree; NULL with b->failed set
 * after reporting, or NULL for a file of comments only. */
static struct ynode *
build_tree(struct builder *b)
{
	struct ynode *root = NULL;
	yaml_parser_t p;
	int docs = 0;
	if (!yaml_parser_initialize(&p)) {
		diag_system(b->job->diag, "cannot initialise the YAML parser");
		b->failed = true;
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)b->text,
	                             b->len);
	for (bool more = true; more && !b->failed;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			report_parser_error(b, &p);
			b->failed = true;
			break;
		}
		more = on_event(b, &ev, &docs, &root);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return b->failed ? NULL : root;
}

struct ynode *
load_yaml_parse(struct job *job, struct arena *nodes, const char *file,
                const char *text, size_t len)
{
	struct builder b = {.job = job,
	                    .nodes = nodes,
	                    .file = file,
	                    .text = text,
	                    .len = len,
	                    .depth = -1};
	struct ynode *root = NULL;

	if (load_is_utf16(job->diag, file, text, len))
		return NULL;
	size_t bad = utf8_check(text, len);
	if (bad < len) {
		diag_error(job->diag, diag_offset_loc(file, text, bad),
		           "invalid UTF-8 byte 0x%02X",
		           (unsigned)(unsigned char)text[bad]);
		return NULL;
	}
	if (memchr(text, '\0', len) != NULL) {
		size_t off =
		    (size_t)((const char *)memchr(text, '\0', len) - text);
		diag_error(job->diag, diag_offset_loc(file, text, off),
		           "NUL byte in YAML input");
		return NULL;
	}
	if (len == 0 || strspn(text, " \t\r\n") == len) {
		diag_error(job->diag, (struct loc){file, 1, 1},
		           "the file is empty");
		return NULL;
	}

	load_warn_bom_crlf(job->diag, file, text, len);

	b.map.needed = has_unicode_breaks(text, len);
	map_reset(&b);
	root = build_tree(&b);
	if (b.failed)
		return NULL;
	if (root == NULL)
		diag_error(job->diag, (struct loc){file, 1, 1},
		           "the file holds only comments");
	return root;
}

bool
load_is_null(const struct ynode *n)
{
	if (n->type != YNODE_SCALAR || !n->is_plain)
		return false;
	return n->len == 0 || strcmp(n->str, "~") == 0 ||
	       strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
	       strcmp(n->str, "NULL") == 0;
}

const char *
load_kind(const struct ynode *n)
{
	switch (n->type) {
	case YNODE_SEQ:
		return "a list";
	case YNODE_MAP:
		return "a mapping";
	default:
		return load_is_null(n) ? "null" : "a string";
	}
}

struct ynode *
load_yaml_file(struct job *job, struct arena *nodes, const char *path,
               const char *must_be)
{
	char *text;
	size_t len;
	if (!fileio_read(nodes, job->diag, NULL, path, &text, &len))
		return NULL;
	struct ynode *root = load_yaml_parse(job, nodes, path, text, len);
	if (root == NULL)
		return NULL;
	if (root->type != YNODE_MAP) {
		diag_error(job->diag, root->loc, "%s, not %s", must_be,
		           load_kind(root));
		return NULL;
	}
	return root;
}
