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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/mem.h"
#include "../job.h"
#include "../page.h"

/* Entries of a leaf of the ParentTree: a number tree (14.7.4.4) with more
 * is split into leaves under one root. */
#define LEAF 128

/*
 * A kid of an element: its kind in the top two bits, below them an
 * element, an MCID's index in mcid_of (all pages'), or an annotation's
 * index.  Each element's kids are a list in the order met.
 */
#define KID_ELEM 0x00000000u
#define KID_MCID 0x40000000u
#define KID_OBJR 0x80000000u
#define KID_KIND 0xC0000000u
#define KID_NONE UINT32_MAX /* the end of a list */

struct tags {
	const char *lang; /* the document's */
	const struct page_elem *elems;
	size_t nelems, npages;
	struct page_elem *own;       /* the elements and the signature's Form
	                              * after them, or NULL */
	uint32_t form;               /* that Form element, or 0 */
	const struct page_alt *alts; /* Figures' descriptions, by element */
	size_t nalts;
	uint32_t *met;   /* per element: 1 + its place in order, or 0 */
	uint32_t *order; /* the elements met, in order */
	uint32_t nmet;
	uint32_t *first, *last; /* per element: its kids, or KID_NONE */
	uint32_t *kid, *next;   /* every kid and the one after it */
	size_t nkids, capkids;
	uint32_t *mcid_of; /* every MCID's element, page after page */
	size_t nmcid, capmcid;
	uint32_t *page_mcid; /* per page: its first entry in mcid_of;
	                      * page_mcid[npages] is nmcid */
	size_t pages_done;   /* pages whose first MCID is known */
	struct annot {
		uint32_t elem, obj, page;
	} * annot; /* the annotations filed */
	size_t nannot, capannot;
	size_t filed; /* those in their elements (tags_page_end()) */
	/* Writing */
	uint32_t *page_obj;  /* each page's object number */
	uint32_t root, base; /* StructTreeRoot; first element */
	uint32_t *marked;    /* the pages with marked content */
	size_t nmarked;
	size_t nentries; /* of the ParentTree */
	size_t nleaves;
	size_t nnotes;   /* Notes in the tree: each has an /ID */
	uint32_t *notes; /* their places, ascending */
	size_t nidleaves;
};

struct tags *
tags_new(const struct pages *pp)
{
	struct tags *tg = mem_zalloc(1, sizeof *tg);
	tg->lang = pp->lang != NULL ? pp->lang : "en";
	tg->elems = pp->elems;
	tg->nelems = pp->nelems;
	if (pp->sign != NULL && pp->nelems > 0) {
		/* The signature's widget is in a Form of its own, the
		 * Document's last element. */
		tg->own = mem_alloc(pp->nelems + 1, sizeof *tg->own);
		memcpy(tg->own, pp->elems, pp->nelems * sizeof *tg->own);
		tg->own[pp->nelems] = (struct page_elem){0, TAG_FORM};
		tg->elems = tg->own;
		tg->form = (uint32_t)pp->nelems;
		tg->nelems++;
	}
	size_t n = tg->nelems ? tg->nelems : 1;
	tg->alts = pp->alts;
	tg->nalts = pp->nalts;
	tg->npages = pp->n;
	tg->met = mem_zalloc(n, sizeof *tg->met);
	tg->order = mem_alloc(n, sizeof *tg->order);
	tg->first = mem_alloc(n, sizeof *tg->first);
	tg->last = mem_alloc(n, sizeof *tg->last);
	memset(tg->first, 0xFF, n * sizeof *tg->first);
	tg->page_mcid = mem_zalloc(pp->n + 1, sizeof *tg->page_mcid);
	if (tg->nelems > 0) {
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
	free(tg->first);
	free(tg->last);
	free(tg->kid);
	free(tg->next);
	free(tg->mcid_of);
	free(tg->page_mcid);
	free(tg->annot);
	free(tg->page_obj);
	free(tg->marked);
	free(tg->notes);
	free(tg->own);
	free(tg);
}

uint32_t
tags_form(const struct tags *tg)
{
	return tg->form;
}

static void
add_kid(struct tags *tg, uint32_t owner, uint32_t kid)
{
	if (tg->nkids == tg->capkids) {
		tg->capkids = tg->capkids ? 2 * tg->capkids : 1024;
		tg->kid = mem_realloc(tg->kid, tg->capkids, sizeof *tg->kid);
		tg->next = mem_realloc(tg->next, tg->capkids, sizeof *tg->next);
	}
	uint32_t k = (uint32_t)tg->nkids++;
	tg->kid[k] = kid;
	tg->next[k] = KID_NONE;
	if (tg->first[owner] == KID_NONE)
		tg->first[owner] = k;
	else
		tg->next[tg->last[owner]] = k;
	tg->last[owner] = k;
}

/* Puts element x in the tree as its parent's last kid. */
static void
enter(struct tags *tg, uint32_t x)
{
	tg->met[x] = ++tg->nmet;
	tg->order[tg->nmet - 1] = x;
	add_kid(tg, tg->elems[x].parent, KID_ELEM | x);
	if (tg->elems[x].tag == TAG_NOTE)
		tg->nnotes++;
}

/* Puts element e in the tree, after its ancestors, if it is not yet. */
static void
meet(struct tags *tg, uint32_t e)
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
		depth--;
		if (tg->met[x] != 0)
			continue; /* a cell, in with its row */
		enter(tg, x);
		/* A table row has all its cells, empty ones too: they follow
		 * it among the elements. */
		if (tg->elems[x].tag == TAG_TR)
			for (uint32_t c = x + 1;
			     c < tg->nelems && tg->elems[c].parent == x &&
			     tg->met[c] == 0;
			     c++)
				enter(tg, c);
	}
}

/* Pages up to page (not included) are done: their MCIDs are known. */
static void
pages_until(struct tags *tg, size_t page)
{
	while (tg->pages_done < page)
		tg->page_mcid[++tg->pages_done] = (uint32_t)tg->nmcid;
}

const char *
tags_lang(const struct tags *tg)
{
	return tg->lang;
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
	meet(tg, elem);
	if (tg->nmcid == tg->capmcid) {
		tg->capmcid = tg->capmcid ? 2 * tg->capmcid : 1024;
		tg->mcid_of =
		    mem_realloc(tg->mcid_of, tg->capmcid, sizeof *tg->mcid_of);
	}
	uint32_t mcid = (uint32_t)tg->nmcid - tg->page_mcid[page];
	add_kid(tg, elem, KID_MCID | (uint32_t)tg->nmcid);
	tg->mcid_of[tg->nmcid++] = elem;
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
	if (tg->nannot == tg->capannot) {
		tg->capannot = tg->capannot ? 2 * tg->capannot : 256;
		tg->annot =
		    mem_realloc(tg->annot, tg->capannot, sizeof *tg->annot);
	}
	tg->annot[tg->nannot++] = (struct annot){elem, obj, (uint32_t)page};
}

void
tags_page_end(struct tags *tg)
{
	for (; tg->filed < tg->nannot; tg->filed++) {
		uint32_t e = tg->annot[tg->filed].elem;
		meet(tg, e);
		add_kid(tg, e, KID_OBJR | (uint32_t)tg->filed);
	}
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
put_ref(struct buf *b, uint32_t obj)
{
	content_put_uint(b, obj);
	BUF_LIT(b, " 0 R");
}

/* The page of the MCID at mcid_of[m]. */
static uint32_t
page_of(const struct tags *tg, uint32_t m)
{
	size_t lo = 0, hi = tg->npages; /* page_mcid[lo] <= m < [hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (tg->page_mcid[mid] <= m)
			lo = mid;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

/* The identifier of the element met i-th, as a string: of a fixed
 * width, so that the IDTree's keys sort as the numbers do. */
static void
put_id(struct buf *b, size_t i)
{
	char id[24];
	snprintf(id, sizeof id, "(E%010zu)", i);
	buf_puts(b, id);
}

/* Element e's description, or NULL. */
static const char *
alt_of(const struct tags *tg, uint32_t e)
{
	size_t lo = 0, hi = tg->nalts;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (tg->alts[mid].elem < e)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < tg->nalts && tg->alts[lo].elem == e ? tg->alts[lo].text
	                                                : NULL;
}

/* The i-th element met. */
static void
write_elem(const struct tags *tg, size_t i, struct buf *b)
{
	uint32_t e = tg->order[i];
	uint32_t pg = UINT32_MAX;

	/* Written tight: a long document has hundreds of thousands.  /Type
	 * /StructElem is optional. */
	BUF_LIT(b, "/S/");
	buf_puts(b, page_tag_name((enum page_tag)tg->elems[e].tag));
	BUF_LIT(b, "/P ");
	put_ref(b, e == 0 ? tg->root : elem_obj(tg, tg->elems[e].parent));
	for (uint32_t k = tg->first[e]; k != KID_NONE; k = tg->next[k])
		if ((tg->kid[k] & KID_KIND) == KID_MCID) {
			pg = page_of(tg, tg->kid[k] & ~KID_KIND);
			BUF_LIT(b, "/Pg ");
			put_ref(b, tg->page_obj[pg]);
			break;
		}
	if (tg->elems[e].tag == TAG_TH)
		BUF_LIT(b, "/A<</O/Table/Scope/Column>>");
	if (tg->elems[e].tag == TAG_NOTE) {
		BUF_LIT(b, "/ID");
		put_id(b, i);
	}
	const char *alt = alt_of(tg, e);
	if (alt != NULL) {
		BUF_LIT(b, "/Alt");
		haru_put_text(b, alt);
	}
	BUF_LIT(b, "/K[");
	for (uint32_t k = tg->first[e]; k != KID_NONE; k = tg->next[k]) {
		uint32_t v = tg->kid[k] & ~KID_KIND;
		if (k != tg->first[e])
			buf_putc(b, ' ');
		switch (tg->kid[k] & KID_KIND) {
		case KID_MCID: {
			uint32_t p = page_of(tg, v);
			if (p == pg) {
				content_put_uint(b, v - tg->page_mcid[p]);
				break;
			}
			BUF_LIT(b, "<</Type/MCR/Pg ");
			put_ref(b, tg->page_obj[p]);
			BUF_LIT(b, "/MCID ");
			content_put_uint(b, v - tg->page_mcid[p]);
			BUF_LIT(b, ">>");
			break;
		}
		case KID_OBJR:
			BUF_LIT(b, "<</Type/OBJR/Obj ");
			put_ref(b, tg->annot[v].obj);
			if (tg->annot[v].page != pg) {
				BUF_LIT(b, "/Pg ");
				put_ref(b, tg->page_obj[tg->annot[v].page]);
			}
			BUF_LIT(b, ">>");
			break;
		default:
			put_ref(b, elem_obj(tg, v));
			break;
		}
	}
	BUF_LIT(b, "]");
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
		content_put_uint(b, entry_key(tg, i));
		buf_putc(b, ' ');
		if (i >= tg->nmarked) {
			put_ref(b,
			        elem_obj(tg, tg->annot[i - tg->nmarked].elem));
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
		BUF_LIT(b, "]\012");
	}
}

/* Notes [from, to) as IDTree "key value" pairs. */
static void
put_names(const struct tags *tg, size_t from, size_t to, struct buf *b)
{
	for (size_t k = from; k < to; k++) {
		put_id(b, tg->notes[k]);
		buf_putc(b, ' ');
		put_ref(b, tg->base + tg->notes[k]);
		buf_putc(b, '\012');
	}
}

/* Object i of the IDTree: its root, then its leaves. */
static void
write_ids(const struct tags *tg, size_t i, struct buf *b)
{
	uint32_t first = tg->base + tg->nmet + 1 + (uint32_t)tg->nleaves;
	if (i == 0 && tg->nidleaves == 0) {
		BUF_LIT(b, "/Names [\012");
		put_names(tg, 0, tg->nnotes, b);
		BUF_LIT(b, "]\012");
	} else if (i == 0) {
		BUF_LIT(b, "/Kids [");
		for (size_t k = 0; k < tg->nidleaves; k++) {
			if (k > 0)
				buf_putc(b, ' ');
			put_ref(b, first + 1 + (uint32_t)k);
		}
		BUF_LIT(b, "]\012");
	} else {
		size_t from = (i - 1) * LEAF;
		size_t to = from + LEAF < tg->nnotes ? from + LEAF : tg->nnotes;
		BUF_LIT(b, "/Limits [");
		put_id(b, tg->notes[from]);
		buf_putc(b, ' ');
		put_id(b, tg->notes[to - 1]);
		BUF_LIT(b, "]\012/Names [\012");
		put_names(tg, from, to, b);
		BUF_LIT(b, "]\012");
	}
}

/* Object i of the run: an element, the ParentTree's root and leaves,
 * the IDTree's. */
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
	if (i > tg->nleaves) {
		write_ids(tg, i - tg->nleaves - 1, b);
		return;
	}
	if (i == 0 && tg->nleaves == 0) {
		BUF_LIT(b, "/Nums [\012");
		put_nums(tg, 0, n, b);
		BUF_LIT(b, "]\012");
	} else if (i == 0) {
		BUF_LIT(b, "/Kids [");
		for (size_t k = 0; k < tg->nleaves; k++) {
			if (k > 0)
				buf_putc(b, ' ');
			put_ref(b, tg->base + tg->nmet + 1 + (uint32_t)k);
		}
		BUF_LIT(b, "]\012");
	} else {
		size_t from = (i - 1) * LEAF;
		size_t to = from + LEAF < n ? from + LEAF : n;
		BUF_LIT(b, "/Limits [");
		content_put_uint(b, entry_key(tg, from));
		buf_putc(b, ' ');
		content_put_uint(b, entry_key(tg, to - 1));
		BUF_LIT(b, "]\012/Nums [\012");
		put_nums(tg, from, to, b);
		BUF_LIT(b, "]\012");
	}
}

static void
write_root(void *ctx, struct buf *b)
{
	const struct tags *tg = ctx;
	BUF_LIT(b, "/Type /StructTreeRoot\012/K ");
	put_ref(b, tg->base);
	BUF_LIT(b, "\012/ParentTree ");
	put_ref(b, tg->base + tg->nmet);
	BUF_LIT(b, "\012/ParentTreeNextKey ");
	content_put_uint(b, (uint32_t)tags_next_key(tg));
	/* Notes have identifiers (PDF/UA-1 7.9), which the IDTree maps to
	 * them. */
	if (tg->nnotes > 0) {
		BUF_LIT(b, "\012/IDTree ");
		put_ref(b, tg->base + tg->nmet + 1 + (uint32_t)tg->nleaves);
	}
	BUF_LIT(b, "\012");
}

bool
tags_write(struct job *job, struct fontset *fs, struct tags *tg,
           const uint32_t *page_obj)
{
	pages_until(tg, tg->npages);
	tg->page_obj = mem_alloc(tg->npages, sizeof *tg->page_obj);
	memcpy(tg->page_obj, page_obj, tg->npages * sizeof *page_obj);
	tg->marked = mem_alloc(tg->npages ? tg->npages : 1, sizeof *tg->marked);
	for (size_t p = 0; p < tg->npages; p++)
		if (tags_page_marked(tg, p))
			tg->marked[tg->nmarked++] = (uint32_t)p;
	size_t n = tg->nentries = tg->nmarked + tg->nannot;
	tg->nleaves = n > LEAF ? (n + LEAF - 1) / LEAF : 0;
	tg->notes = mem_alloc(tg->nnotes ? tg->nnotes : 1, sizeof *tg->notes);
	size_t k = 0;
	for (uint32_t i = 0; i < tg->nmet; i++)
		if (tg->elems[tg->order[i]].tag == TAG_NOTE)
			tg->notes[k++] = i;
	tg->nidleaves = tg->nnotes > LEAF ? (tg->nnotes + LEAF - 1) / LEAF : 0;
	tg->root = haru_struct_root(fs, write_root, tg);
	tg->base = haru_raw(fs,
	                    tg->nmet + 1 + tg->nleaves +
	                        (tg->nnotes > 0 ? 1 + tg->nidleaves : 0),
	                    write_obj, tg);
	return haru_check(job, fs, "write the structure tree");
}
