/*
 * Tagged PDF (PDF 32000-1 14.7, 14.8; PDF/UA-1): the structure tree.
 *
 * While the pages are drawn, content.c opens a marked-content sequence
 * for each stretch of one element's content (tags_mcid()) and emit_pdf.c
 * files each link annotation with its Link (tags_annot()).  An element
 * enters the tree when its first content is met, after its ancestors, as
 * the last child of its parent: the tree is in the order the pages are
 * read, and elements with no content (a later pass's leftovers, an empty
 * label) are left out.  tags_write() then writes the elements, the
 * ParentTree that maps each page's marked content and each annotation
 * back to its element, and the StructTreeRoot.
 */
#include "emit_int.h"

#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/mem.h"
#include "../job.h"
#include "../page.h"

/* Entries of a leaf of the ParentTree: a number tree (14.7.4.4) with more
 * is split into leaves under one root. */
#define LEAF 128

enum kid_kind {
	KID_MCID, /* val: an MCID on page */
	KID_OBJR, /* val: the object number of an annotation on page */
	KID_ELEM, /* val: a child element */
};

/* A child of an element, in the order met. */
struct kid {
	uint32_t owner; /* the element */
	uint32_t page;
	uint32_t val;
	uint8_t kind;
};

struct tags {
	const struct page_elem *elems;
	size_t nelems, npages;
	uint32_t *met;   /* per element: 1 + its place in order, or 0 */
	uint32_t *order; /* the elements met, in order */
	uint32_t nmet;
	struct kid *kids; /* every kid, in the order met */
	size_t nkids, capkids;
	uint32_t *mcid_of; /* every MCID's element, page after page */
	size_t nmcid, capmcid;
	uint32_t *page_mcid; /* per page: its first entry in mcid_of;
	                      * page_mcid[npages] is nmcid */
	size_t pages_done;   /* pages whose first MCID is known */
	uint32_t *annot_of;  /* per annotation filed: its element */
	size_t nannot, capannot;
	struct kid *pending; /* the annotations of the page being drawn,
	                      * filed after its content */
	size_t npending, cappending;
	/* Writing */
	uint32_t *page_obj;  /* each page's object number */
	uint32_t root, base; /* StructTreeRoot; first element */
	uint32_t *first_kid; /* per place: its kids in sorted */
	struct kid *sorted;
	uint32_t *marked; /* the pages with marked content */
	size_t nmarked;
	size_t nentries; /* of the ParentTree */
	size_t nleaves;
};

struct tags *
tags_new(const struct pages *pp)
{
	struct tags *tg = mem_zalloc(1, sizeof *tg);
	tg->elems = pp->elems;
	tg->nelems = pp->nelems;
	tg->npages = pp->n;
	tg->met = mem_zalloc(pp->nelems ? pp->nelems : 1, sizeof *tg->met);
	tg->order = mem_alloc(pp->nelems ? pp->nelems : 1, sizeof *tg->order);
	tg->page_mcid = mem_zalloc(pp->n + 1, sizeof *tg->page_mcid);
	if (pp->nelems > 0) {
		tg->met[0] = 1; /* the Document is the root */
		tg->order[tg->nmet++] = 0;
	}
	return tg;
}

void
tags_free(struct tags *tg)
{
	if (tg == NULL)
		return;
	free(tg->met);
	free(tg->order);
	free(tg->kids);
	free(tg->mcid_of);
	free(tg->page_mcid);
	free(tg->annot_of);
	free(tg->pending);
	free(tg->first_kid);
	free(tg->sorted);
	free(tg->page_obj);
	free(tg->marked);
	free(tg);
}

static void
add_kid(struct tags *tg, uint32_t owner, enum kid_kind kind, uint32_t page,
        uint32_t val)
{
	if (tg->nkids == tg->capkids) {
		tg->capkids = tg->capkids ? 2 * tg->capkids : 1024;
		tg->kids = mem_realloc(tg->kids, tg->capkids, sizeof *tg->kids);
	}
	tg->kids[tg->nkids++] = (struct kid){owner, page, val, (uint8_t)kind};
}

/* Puts element e in the tree, after its ancestors, if it is not yet. */
static void
meet(struct tags *tg, uint32_t e, uint32_t page)
{
	if (tg->met[e] != 0)
		return;
	/* The chain up to the first element met, then down again. */
	uint32_t top = e, depth = 0;
	while (tg->met[top] == 0) {
		top = tg->elems[top].parent;
		depth++;
	}
	while (depth > 0) {
		uint32_t x = e;
		for (uint32_t k = 1; k < depth; k++)
			x = tg->elems[x].parent;
		tg->met[x] = ++tg->nmet;
		tg->order[tg->nmet - 1] = x;
		add_kid(tg, tg->elems[x].parent, KID_ELEM, page, x);
		depth--;
	}
}

/* Pages up to page (not included) are done: their MCIDs are known. */
static void
pages_until(struct tags *tg, size_t page)
{
	while (tg->pages_done < page)
		tg->page_mcid[++tg->pages_done] = (uint32_t)tg->nmcid;
}

bool
tags_element(const struct tags *tg, uint32_t e)
{
	return e != 0 && e < tg->nelems;
}

const char *
tags_name(const struct tags *tg, uint32_t e)
{
	return page_tag_name((enum page_tag)tg->elems[e].tag);
}

uint32_t
tags_mcid(struct tags *tg, size_t page, uint32_t elem)
{
	pages_until(tg, page);
	meet(tg, elem, (uint32_t)page);
	if (tg->nmcid == tg->capmcid) {
		tg->capmcid = tg->capmcid ? 2 * tg->capmcid : 1024;
		tg->mcid_of =
		    mem_realloc(tg->mcid_of, tg->capmcid, sizeof *tg->mcid_of);
	}
	uint32_t mcid = (uint32_t)tg->nmcid - tg->page_mcid[page];
	tg->mcid_of[tg->nmcid++] = elem;
	add_kid(tg, elem, KID_MCID, (uint32_t)page, mcid);
	return mcid;
}

int32_t
tags_next_key(const struct tags *tg)
{
	return (int32_t)(tg->npages + tg->nannot);
}

void
tags_annot(struct tags *tg, size_t page, uint32_t elem, uint32_t obj)
{
	if (tg->npending == tg->cappending) {
		tg->cappending = tg->cappending ? 2 * tg->cappending : 64;
		tg->pending = mem_realloc(tg->pending, tg->cappending,
		                          sizeof *tg->pending);
	}
	tg->pending[tg->npending++] =
	    (struct kid){elem, (uint32_t)page, obj, KID_OBJR};
	if (tg->nannot == tg->capannot) {
		tg->capannot = tg->capannot ? 2 * tg->capannot : 256;
		tg->annot_of = mem_realloc(tg->annot_of, tg->capannot,
		                           sizeof *tg->annot_of);
	}
	tg->annot_of[tg->nannot++] = elem;
}

void
tags_page_end(struct tags *tg)
{
	for (size_t k = 0; k < tg->npending; k++) {
		const struct kid *x = &tg->pending[k];
		meet(tg, x->owner, x->page);
		add_kid(tg, x->owner, KID_OBJR, x->page, x->val);
	}
	tg->npending = 0;
}

bool
tags_page_marked(const struct tags *tg, size_t page)
{
	return tg->page_mcid[page + 1] > tg->page_mcid[page];
}

/* The object number of element e, which was met. */
static uint32_t
elem_obj(const struct tags *tg, uint32_t e)
{
	return tg->base + tg->met[e] - 1;
}

static void
put_uint(struct buf *b, uint32_t v)
{
	char num[17] = {0}; /* the digits end at num[16] */
	buf_puts(b, content_uint(num, v));
}

static void
put_ref(struct buf *b, uint32_t obj)
{
	put_uint(b, obj);
	buf_puts(b, " 0 R");
}

/* The i-th element met. */
static void
write_elem(const struct tags *tg, size_t i, struct buf *b)
{
	uint32_t e = tg->order[i];
	const struct kid *k = tg->sorted + tg->first_kid[i];
	const struct kid *end = tg->sorted + tg->first_kid[i + 1];
	int64_t pg = -1;

	/* Written tight: a long document has hundreds of thousands.  /Type
	 * /StructElem is optional. */
	buf_puts(b, "/S/");
	buf_puts(b, page_tag_name((enum page_tag)tg->elems[e].tag));
	buf_puts(b, "/P ");
	put_ref(b, e == 0 ? tg->root : elem_obj(tg, tg->elems[e].parent));
	for (const struct kid *x = k; x < end; x++)
		if (x->kind == KID_MCID) {
			pg = x->page;
			buf_puts(b, "/Pg ");
			put_ref(b, tg->page_obj[pg]);
			break;
		}
	if (tg->elems[e].tag == TAG_TH)
		buf_puts(b, "/A<</O/Table/Scope/Column>>");
	buf_puts(b, "/K[");
	for (const struct kid *x = k; x < end; x++) {
		if (x != k)
			buf_putc(b, ' ');
		switch (x->kind) {
		case KID_MCID:
			if (x->page == pg) {
				put_uint(b, x->val);
				break;
			}
			buf_puts(b, "<</Type/MCR/Pg ");
			put_ref(b, tg->page_obj[x->page]);
			buf_puts(b, "/MCID ");
			put_uint(b, x->val);
			buf_puts(b, ">>");
			break;
		case KID_OBJR:
			buf_puts(b, "<</Type/OBJR/Obj ");
			put_ref(b, x->val);
			if (x->page != pg) {
				buf_puts(b, "/Pg ");
				put_ref(b, tg->page_obj[x->page]);
			}
			buf_puts(b, ">>");
			break;
		default:
			put_ref(b, elem_obj(tg, x->val));
			break;
		}
	}
	buf_puts(b, "]\012");
}

/*
 * The ParentTree's entries, keys ascending: each page with marked
 * content (key: the page's index) to the array of its MCIDs' elements,
 * then each annotation (key: npages + its index) to its element.  The
 * key of entry i:
 */
static uint32_t
entry_key(const struct tags *tg, size_t i)
{
	return i < tg->nmarked ? tg->marked[i]
	                       : (uint32_t)(tg->npages + i - tg->nmarked);
}

/* Entries [from, to) of the ParentTree as "key value" pairs. */
static void
put_nums(const struct tags *tg, size_t from, size_t to, struct buf *b)
{
	for (size_t i = from; i < to; i++) {
		put_uint(b, entry_key(tg, i));
		buf_putc(b, ' ');
		if (i >= tg->nmarked) {
			put_ref(b, elem_obj(tg, tg->annot_of[i - tg->nmarked]));
			buf_putc(b, '\012');
			continue;
		}
		uint32_t p = tg->marked[i];
		buf_putc(b, '[');
		for (uint32_t m = tg->page_mcid[p]; m < tg->page_mcid[p + 1];
		     m++) {
			if (m > tg->page_mcid[p])
				buf_putc(b, ' ');
			put_ref(b, elem_obj(tg, tg->mcid_of[m]));
		}
		buf_puts(b, "]\012");
	}
}

/* Object i of the run: an element, the ParentTree's root, a leaf. */
static void
write_obj(void *ctx, size_t i, struct buf *b)
{
	struct tags *tg = ctx;
	size_t n = tg->nentries;

	if (i < tg->nmet) {
		write_elem(tg, i, b);
		return;
	}
	i -= tg->nmet;
	if (i == 0 && tg->nleaves == 0) {
		buf_puts(b, "/Nums [\012");
		put_nums(tg, 0, n, b);
		buf_puts(b, "]\012");
	} else if (i == 0) {
		buf_puts(b, "/Kids [");
		for (size_t k = 0; k < tg->nleaves; k++) {
			if (k > 0)
				buf_putc(b, ' ');
			put_ref(b, tg->base + tg->nmet + 1 + (uint32_t)k);
		}
		buf_puts(b, "]\012");
	} else {
		size_t from = (i - 1) * LEAF;
		size_t to = from + LEAF < n ? from + LEAF : n;
		buf_puts(b, "/Limits [");
		put_uint(b, entry_key(tg, from));
		buf_putc(b, ' ');
		put_uint(b, entry_key(tg, to - 1));
		buf_puts(b, "]\012/Nums [\012");
		put_nums(tg, from, to, b);
		buf_puts(b, "]\012");
	}
}

static void
write_root(void *ctx, struct buf *b)
{
	const struct tags *tg = ctx;
	buf_puts(b, "/Type /StructTreeRoot\012/K ");
	put_ref(b, tg->base);
	buf_puts(b, "\012/ParentTree ");
	put_ref(b, tg->base + tg->nmet);
	buf_puts(b, "\012/ParentTreeNextKey ");
	put_uint(b, (uint32_t)tags_next_key(tg));
	buf_puts(b, "\012");
}

bool
tags_write(struct job *job, struct fontset *fs, struct tags *tg,
           const uint32_t *page_obj)
{
	pages_until(tg, tg->npages);
	tg->page_obj = mem_alloc(tg->npages, sizeof *tg->page_obj);
	memcpy(tg->page_obj, page_obj, tg->npages * sizeof *page_obj);
	/* Each element's kids together, in the order met (a counting
	 * sort by the owner's place). */
	tg->first_kid = mem_zalloc(tg->nmet + 1, sizeof *tg->first_kid);
	tg->sorted = mem_alloc(tg->nkids ? tg->nkids : 1, sizeof *tg->sorted);
	for (size_t k = 0; k < tg->nkids; k++)
		tg->first_kid[tg->met[tg->kids[k].owner]]++;
	for (size_t i = 0; i < tg->nmet; i++)
		tg->first_kid[i + 1] += tg->first_kid[i];
	for (size_t k = tg->nkids; k-- > 0;) {
		uint32_t at = --tg->first_kid[tg->met[tg->kids[k].owner]];
		tg->sorted[at] = tg->kids[k];
	}
	free(tg->kids);
	tg->kids = NULL;
	/* first_kid[i] is now where place i - 1's kids start: shift. */
	memmove(tg->first_kid, tg->first_kid + 1,
	        tg->nmet * sizeof *tg->first_kid);
	tg->first_kid[tg->nmet] = (uint32_t)tg->nkids;

	tg->marked = mem_alloc(tg->npages ? tg->npages : 1, sizeof *tg->marked);
	for (size_t p = 0; p < tg->npages; p++)
		if (tags_page_marked(tg, p))
			tg->marked[tg->nmarked++] = (uint32_t)p;
	size_t n = tg->nentries = tg->nmarked + tg->nannot;
	tg->nleaves = n > LEAF ? (n + LEAF - 1) / LEAF : 0;
	tg->root = haru_struct_root(fs, write_root, tg);
	tg->base = haru_raw(fs, tg->nmet + 1 + tg->nleaves, write_obj, tg);
	return haru_check(job, fs, "write the structure tree");
}
