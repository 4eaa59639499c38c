/*
 * Load stage: YAML text to a small tree that keeps every value's position.
 * Built on libyaml's event API so that aliases can be refused (no "billion
 * laughs"), duplicate keys caught and depth bounded.
 */
#include "load_int.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../base/fileio.h"
#include "../base/utf8.h"

struct builder {
	struct job *job;
	struct arena *nodes; /* the tree's nodes and lists; strings go to
	                      * the job's arena */
	const char *file;
	const char *text;
	size_t len;
	uint32_t line0;       /* lines before text (a part of a file) */
	int depth0;           /* depth of its root in the whole file */
	struct ynode *stack[YNODE_MAX_DEPTH + 1];
	size_t nitems[YNODE_MAX_DEPTH + 1]; /* capacity of each open node */
	int depth;
	bool failed;
};

/* libyaml counts characters from 0; we report them from 1. */
static struct loc
mark_loc(const struct builder *b, yaml_mark_t m)
{
	return (struct loc){b->file, b->line0 + (uint32_t)m.line + 1,
	                    (uint32_t)m.column + 1};
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
		top->items = arena_grow(b->nodes, top->items, top->nitems,
		                        ncap, sizeof *top->items);
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
				           ynode_kind(n));
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
		struct loc loc = diag_offset_loc(b->file, b->text, p->problem_offset);
		if (p->problem_value >= 0 && p->problem_value < 0x20)
			diag_error(d, loc,
			           "control character 0x%02X is not allowed in "
			           "YAML",
			           (unsigned)p->problem_value);
		else
			diag_error(d, loc, "YAML syntax error: %s",
			           p->problem ? p->problem : "unreadable input");
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

/* Runs libyaml over b->text and builds the tree; NULL with b->failed set
 * after reporting, or NULL for a file of comments only. */
static struct ynode *
build_tree(struct builder *b)
{
	struct ynode *root = NULL;
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		diag_system(b->job->diag, "cannot initialise the YAML parser");
		b->failed = true;
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)b->text,
	                             b->len);
	int docs = 0;
	bool done = false;
	while (!done && !b->failed) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			report_parser_error(b, &p);
			b->failed = true;
			break;
		}
		struct loc loc = mark_loc(b, ev.start_mark);
		struct ynode *n;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				diag_error(b->job->diag, loc,
				           "only one YAML document is allowed "
				           "per file");
				b->failed = true;
			}
			break;
		case YAML_ALIAS_EVENT:
			diag_error(b->job->diag, loc,
			           "aliases (\"*%s\") are not supported; "
			           "write the value out",
			           (const char *)ev.data.alias.anchor);
			b->failed = true;
			break;
		case YAML_SCALAR_EVENT:
			if (!refuse_extras(b, &ev, ev.data.scalar.anchor,
			                   ev.data.scalar.tag,
			                   ev.data.scalar.plain_implicit ||
			                       ev.data.scalar.quoted_implicit)) {
				b->failed = true;
				break;
			}
			if (ev.data.scalar.length > YNODE_MAX_STRING) {
				diag_error(b->job->diag, loc,
				           "a string longer than %d bytes",
				           YNODE_MAX_STRING);
				b->failed = true;
				break;
			}
			n = arena_alloc(b->nodes, sizeof *n);
			n->type = YNODE_SCALAR;
			n->loc = loc;
			n->str = arena_strndup(b->job->arena,
			                       (const char *)ev.data.scalar.value,
			                       ev.data.scalar.length);
			n->len = ev.data.scalar.length;
			n->is_plain = ev.data.scalar.style ==
			              YAML_PLAIN_SCALAR_STYLE;
			if (strlen(n->str) != n->len) {
				diag_error(b->job->diag, loc,
				           "NUL character in a string");
				b->failed = true;
				break;
			}
			if (b->depth < 0)
				root = n;
			push_node(b, n);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
			if (!refuse_extras(b, &ev,
			                   seq ? ev.data.sequence_start.anchor
			                       : ev.data.mapping_start.anchor,
			                   seq ? ev.data.sequence_start.tag
			                       : ev.data.mapping_start.tag,
			                   seq ? ev.data.sequence_start.implicit
			                       : ev.data.mapping_start.implicit)) {
				b->failed = true;
				break;
			}
			if (b->depth0 + b->depth + 1 >= YNODE_MAX_DEPTH) {
				diag_error(b->job->diag, loc,
				           "nesting deeper than %d levels",
				           YNODE_MAX_DEPTH);
				b->failed = true;
				break;
			}
			n = arena_alloc(b->nodes, sizeof *n);
			n->type = seq ? YNODE_SEQ : YNODE_MAP;
			n->loc = loc;
			if (b->depth < 0)
				root = n;
			push_node(b, n);
			b->depth++;
			b->stack[b->depth] = n;
			b->nitems[b->depth] = 0;
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			b->depth--;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return b->failed ? NULL : root;
}

/*
 * A large file is parsed on two threads.  libyaml reads about 25 MB a
 * second, and a fact file's bulk is one long top-level list (the breach
 * log): its second half is parsed as a document of its own, at the same
 * time as the rest, and the trees are joined.  A part is cut only where a
 * line starts an item of that list, and the joined tree is taken only
 * when each part parsed without a message and its shape shows the cut was
 * where it was meant to be; otherwise the whole file is parsed again in
 * one piece, which reports any problem exactly as it would have anyway.
 */
#define SPLIT_MIN (256 * 1024) /* smaller files parse in a few ms */

struct split {
	size_t key;      /* offset of the line "key:" of the list */
	size_t first;    /* offset of the list's first item line */
	size_t mid;      /* where the second part starts: an item line */
	size_t tail;     /* the line after the list, or len */
	uint32_t key_line, first_line, mid_line, tail_line; /* 1-based */
	int indent;      /* spaces before the items' "-" */
};

static uint32_t
newlines(const char *c, const char *end)
{
	uint32_t n = 0;
	while ((c = memchr(c, '\n', (size_t)(end - c))) != NULL) {
		n++;
		c++;
	}
	return n;
}

/* A line that starts an item: indent spaces, then "-" and a blank. */
static bool
item_line(const char *l, const char *end, int indent)
{
	if (end - l < indent + 1)
		return false;
	for (int i = 0; i < indent; i++)
		if (l[i] != ' ')
			return false;
	return l[indent] == '-' &&
	       (l + indent + 1 == end || l[indent + 1] == ' ' ||
	        l[indent + 1] == '\n');
}

/* A line that ends the list: a key at the left margin. */
static bool
root_line(const char *l, const char *end)
{
	return l < end && *l != ' ' && *l != '\t' && *l != '#' &&
	       *l != '\n' && *l != '-';
}

/* Blank, or only a comment. */
static bool
blank_line(const char *l, const char *end)
{
	while (l < end && *l == ' ')
		l++;
	return l == end || *l == '\n' || *l == '#';
}

/*
 * Finds the largest top-level list worth cutting and where to cut it; false
 * when there is none, or when the text has anything that makes counting
 * lines or cutting uncertain: carriage returns, Unicode line breaks (NEL,
 * LS, PS), directives or document markers.
 */
static bool
find_split(const char *text, size_t len, struct split *sp)
{
	if (len < SPLIT_MIN || memchr(text, '\r', len) != NULL)
		return false;
	const char *end = text + len;
	for (const char *c = text; (c = memchr(c, 0xC2, (size_t)(end - c)));
	     c++)
		if (c + 1 < end && (unsigned char)c[1] == 0x85)
			return false;
	for (const char *c = text; (c = memchr(c, 0xE2, (size_t)(end - c)));
	     c++)
		if (c + 2 < end && (unsigned char)c[1] == 0x80 &&
		    ((unsigned char)c[2] == 0xA8 || (unsigned char)c[2] == 0xA9))
			return false;
	/* The longest stretch between two lines at the left margin. */
	size_t best = 0, best_len = 0, prev = SIZE_MAX;
	uint32_t line = 1, best_line = 0, prev_line = 0;
	for (const char *l = text; l < end; line++) {
		const char *nl = memchr(l, '\n', (size_t)(end - l));
		const char *le = nl ? nl + 1 : end;
		if (*l == '%' || ((le - l >= 3) && (memcmp(l, "---", 3) == 0 ||
		                                    memcmp(l, "...", 3) == 0)))
			return false;
		if (root_line(l, le) || le == end) {
			size_t at = root_line(l, le) ? (size_t)(l - text) : len;
			if (prev != SIZE_MAX && at - prev > best_len) {
				best = prev;
				best_len = at - prev;
				best_line = prev_line;
			}
			if (root_line(l, le)) {
				prev = (size_t)(l - text);
				prev_line = line;
			}
		}
		l = le;
	}
	if (best_len < SPLIT_MIN / 2)
		return false;
	sp->key = best;
	sp->key_line = best_line;
	sp->tail = best + best_len;
	/* "key:" and nothing but a comment after it. */
	const char *k = text + best;
	const char *kend = memchr(k, '\n', len - best);
	if (kend == NULL)
		return false;
	const char *colon = memchr(k, ':', (size_t)(kend - k));
	if (colon == NULL || !blank_line(colon + 1, kend + 1))
		return false;
	for (const char *c = k; c < colon; c++)
		if (strchr("\"'{}[]&*!|>%@`#,?", *c) != NULL)
			return false;
	/* The first line of the value is an item; its indent is the list's. */
	const char *l = kend + 1;
	line = best_line + 1;
	const char *tail = text + sp->tail;
	while (l < tail) {
		const char *nl = memchr(l, '\n', (size_t)(tail - l));
		const char *le = nl ? nl + 1 : tail;
		if (!blank_line(l, le))
			break;
		l = le;
		line++;
	}
	if (l >= tail)
		return false;
	sp->indent = (int)strspn(l, " ");
	if (!item_line(l, tail, sp->indent))
		return false;
	sp->first = (size_t)(l - text);
	sp->first_line = line;
	/* Cut so that the second part is about half the file: the first
	 * item line at or after that point. */
	size_t want = sp->tail > len / 2 ? sp->tail - len / 2 : 0;
	if (want <= sp->first)
		want = sp->first + 1;
	for (l = text + want; l < tail; ) {
		const char *nl = memchr(l, '\n', (size_t)(tail - l));
		if (nl == NULL || nl + 1 >= tail)
			return false;
		l = nl + 1;
		if (item_line(l, tail, sp->indent))
			break;
	}
	if (l >= tail)
		return false;
	sp->mid = (size_t)(l - text);
	sp->mid_line = sp->first_line + newlines(text + sp->first, l);
	sp->tail_line = sp->mid_line + newlines(l, tail);
	return true;
}
/* One part of a file cut in three, parsed with arenas and messages of
 * its own. */
struct part {
	struct builder b;
	struct job job;
	struct diag diag;
	struct arena nodes, strings;
	struct ynode *root;
};

static void
part_init(struct part *pt, const struct builder *whole, size_t from,
          size_t to, uint32_t line0, int depth0)
{
	memset(pt, 0, sizeof *pt);
	pt->job = *whole->job;
	pt->job.arena = &pt->strings;
	pt->job.diag = &pt->diag;
	diag_init(&pt->diag, NULL);
	pt->b = (struct builder){.job = &pt->job, .nodes = &pt->nodes,
	                         .file = whole->file,
	                         .text = whole->text + from, .len = to - from,
	                         .line0 = line0, .depth0 = depth0,
	                         .depth = -1};
}

static void *
part_parse(void *arg)
{
	struct part *pt = arg;
	if (pt->b.len > 0)
		pt->root = build_tree(&pt->b);
	return NULL;
}

static bool
part_clean(const struct part *pt)
{
	return !pt->b.failed && pt->diag.n == 0;
}

/*
 * Joins the parts' trees when they are what the cut promised: the first
 * ends with the key of the list, whose value is a list from its first
 * item; the second is a list from the cut; the third, if any, a mapping
 * from the line after the list.  Sizes and duplicate keys across the cut
 * are checked as one parse would.  NULL when anything differs.
 */
static struct ynode *
join_parts(struct builder *whole, struct part *pt, const struct split *sp)
{
	const struct ynode *head = pt[0].root, *mid = pt[1].root,
	                   *tail = pt[2].root;
	uint32_t col = (uint32_t)sp->indent + 1;
	if (!part_clean(&pt[0]) || !part_clean(&pt[1]) ||
	    !part_clean(&pt[2]) || head == NULL || mid == NULL ||
	    head->type != YNODE_MAP || head->nitems < 2 ||
	    mid->type != YNODE_SEQ || mid->loc.line != sp->mid_line ||
	    mid->loc.col != col)
		return NULL;
	const struct ynode *key = head->items[head->nitems - 2];
	struct ynode *list = head->items[head->nitems - 1];
	if (key->type != YNODE_SCALAR || key->loc.line != sp->key_line ||
	    key->loc.col != 1 || list->type != YNODE_SEQ ||
	    list->loc.line != sp->first_line || list->loc.col != col ||
	    list->nitems + mid->nitems > YNODE_MAX_ITEMS)
		return NULL;
	size_t nkeys = head->nitems;
	if (sp->tail < whole->len) {
		if (tail == NULL || tail->type != YNODE_MAP ||
		    tail->loc.line != sp->tail_line || tail->loc.col != 1 ||
		    (head->nitems + tail->nitems) / 2 > YNODE_MAX_KEYS)
			return NULL;
		for (size_t i = 0; i < tail->nitems; i += 2)
			for (size_t j = 0; j < head->nitems; j += 2)
				if (same_key(head->items[j], tail->items[i]))
					return NULL;
		nkeys += tail->nitems;
	}
	struct ynode **items = arena_array(whole->nodes,
	                                   list->nitems + mid->nitems,
	                                   sizeof *items);
	memcpy(items, list->items, list->nitems * sizeof *items);
	memcpy(items + list->nitems, mid->items, mid->nitems * sizeof *items);
	list->items = items;
	list->nitems += mid->nitems;
	struct ynode *root = pt[0].root;
	if (nkeys > head->nitems) {
		items = arena_array(whole->nodes, nkeys, sizeof *items);
		memcpy(items, head->items, head->nitems * sizeof *items);
		memcpy(items + head->nitems, tail->items,
		       tail->nitems * sizeof *items);
		root->items = items;
		root->nitems = nkeys;
	}
	return root;
}

/* The tree of a file cut by sp, parsed on two threads; NULL when one
 * parse of the whole is needed. */
static struct ynode *
parse_split(struct builder *whole, const struct split *sp)
{
	struct part *pt = malloc(3 * sizeof *pt);
	if (pt == NULL)
		return NULL;
	part_init(&pt[0], whole, 0, sp->mid, 0, 0);
	part_init(&pt[1], whole, sp->mid, sp->tail, sp->mid_line - 1, 1);
	part_init(&pt[2], whole, sp->tail, whole->len, sp->tail_line - 1, 0);
	pthread_t thread;
	bool started = pthread_create(&thread, NULL, part_parse, &pt[1]) == 0;
	part_parse(&pt[0]);
	part_parse(&pt[2]);
	if (started)
		pthread_join(thread, NULL);
	else
		part_parse(&pt[1]);
	struct ynode *root = join_parts(whole, pt, sp);
	for (int i = 0; i < 3; i++) {
		if (root != NULL) {
			arena_adopt(whole->nodes, &pt[i].nodes);
			arena_adopt(whole->job->arena, &pt[i].strings);
		} else {
			arena_free(&pt[i].nodes);
			arena_free(&pt[i].strings);
		}
		diag_free(&pt[i].diag);
	}
	free(pt);
	return root;
}

struct ynode *
yaml_tree_parse(struct job *job, struct arena *nodes, const char *file,
                const char *text, size_t len)
{
	struct builder b = {.job = job, .nodes = nodes, .file = file,
	                    .text = text, .len = len, .depth = -1};
	struct ynode *root = NULL;

	if (is_utf16(job->diag, file, text, len))
		return NULL;
	size_t bad = utf8_check(text, len);
	if (bad < len) {
		diag_error(job->diag, diag_offset_loc(file, text, bad),
		           "invalid UTF-8 byte 0x%02X",
		           (unsigned)(unsigned char)text[bad]);
		return NULL;
	}
	if (memchr(text, '\0', len) != NULL) {
		size_t off = (size_t)((const char *)memchr(text, '\0', len) -
		                      text);
		diag_error(job->diag, diag_offset_loc(file, text, off),
		           "NUL byte in YAML input");
		return NULL;
	}
	if (len == 0 || strspn(text, " \t\r\n") == len) {
		diag_error(job->diag, (struct loc){file, 1, 1},
		           "the file is empty");
		return NULL;
	}

	warn_bom_crlf(job->diag, file, text, len);

	struct split sp;
	if (find_split(text, len, &sp))
		root = parse_split(&b, &sp);
	if (root == NULL)
		root = build_tree(&b);
	if (b.failed)
		return NULL;
	if (root == NULL)
		diag_error(job->diag, (struct loc){file, 1, 1},
		           "the file holds only comments");
	return root;
}

bool
ynode_is_null(const struct ynode *n)
{
	if (n->type != YNODE_SCALAR || !n->is_plain)
		return false;
	return n->len == 0 || strcmp(n->str, "~") == 0 ||
	       strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
	       strcmp(n->str, "NULL") == 0;
}

const char *
ynode_kind(const struct ynode *n)
{
	switch (n->type) {
	case YNODE_SEQ:
		return "a list";
	case YNODE_MAP:
		return "a mapping";
	default:
		return ynode_is_null(n) ? "null" : "a string";
	}
}

struct ynode *
yaml_file_map(struct job *job, struct arena *nodes, const char *path,
              const char *must_be)
{
	char *text;
	size_t len;
	if (!fileio_read(nodes, job->diag, NULL, path, &text, &len))
		return NULL;
	struct ynode *root = yaml_tree_parse(job, nodes, path, text, len);
	if (root == NULL)
		return NULL;
	if (root->type != YNODE_MAP) {
		diag_error(job->diag, root->loc, "%s, not %s", must_be,
		           ynode_kind(root));
		return NULL;
	}
	return root;
}
