/*
 * Positioned pages (page.h): the dump that --dump=pages prints and the
 * golden tests compare.
 */
#include "page.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const tag_names[TAG__MAX] = {
    [TAG_DOCUMENT] = "Document",
    [TAG_SECT] = "Sect",
    [TAG_DIV] = "Div",
    [TAG_H1] = "H1",
    [TAG_H2] = "H2",
    [TAG_H3] = "H3",
    [TAG_H4] = "H4",
    [TAG_H5] = "H5",
    [TAG_H6] = "H6",
    [TAG_P] = "P",
    [TAG_BLOCKQUOTE] = "BlockQuote",
    [TAG_L] = "L",
    [TAG_LI] = "LI",
    [TAG_LBL] = "Lbl",
    [TAG_LBODY] = "LBody",
    [TAG_TABLE] = "Table",
    [TAG_THEAD] = "THead",
    [TAG_TBODY] = "TBody",
    [TAG_TR] = "TR",
    [TAG_TH] = "TH",
    [TAG_TD] = "TD",
    [TAG_TOC] = "TOC",
    [TAG_TOCI] = "TOCI",
    [TAG_NOTE] = "Note",
    [TAG_BIBENTRY] = "BibEntry",
    [TAG_LINK] = "Link",
    [TAG_FIGURE] = "Figure",
    [TAG_CAPTION] = "Caption",
    [TAG_FORM] = "Form",
};

static const char *const artifact_names[ART__MAX] = {
    [ART_LAYOUT] = "layout",       [ART_PAGINATION] = "pagination",
    [ART_HEADER] = "header",       [ART_FOOTER] = "footer",
    [ART_WATERMARK] = "watermark",
};

const char *
page_tag_name(enum page_tag t)
{
	return t < TAG__MAX ? tag_names[t] : "?";
}

/* " <P 12>" for an element's content, " <header>" for an artifact. */
static void
dump_elem(const struct page_op *op, FILE *f)
{
	if (op->elem != 0)
		fprintf(f, " <%u>", op->elem);
	else if (op->type != PAGE_LINK_URI && op->type != PAGE_LINK_DEST)
		fprintf(f, " <%s>",
		        op->artifact < ART__MAX ? artifact_names[op->artifact]
		                                : "?");
}

static void
dump_op(const struct page_op *op, FILE *f)
{
	switch (op->type) {
	case PAGE_TEXT:
		fprintf(f, "  text %d %d f%d %d \"%s\"", op->x, op->y, op->face,
		        op->size, op->text);
		if (op->angle != 0)
			fprintf(f, " angle %d", op->angle);
		if (op->rtl)
			fprintf(f, " rtl");
		if (op->soft_hyphen)
			fprintf(f, " soft-hyphen");
		break;
	case PAGE_RULE:
		fprintf(f, "  rule %d %d %d %d", op->x, op->y, op->w, op->h);
		break;
	case PAGE_RECT:
		fprintf(f, "  rect %d %d %d %d", op->x, op->y, op->w, op->h);
		break;
	case PAGE_LINK_URI:
		fprintf(f, "  link %d %d %d %d %s", op->x, op->y, op->w, op->h,
		        op->uri);
		break;
	case PAGE_LINK_DEST:
		fprintf(f, "  goto %d %d %d %d page %u y %d", op->x, op->y,
		        op->w, op->h, op->dest_page + 1, op->dest_y);
		break;
	case PAGE_IMAGE:
		fprintf(f, "  image %d %d %d %d #%u", op->x, op->y, op->w,
		        op->h, op->dest_page);
		if (op->angle > 1)
			fprintf(f, " orientation %d", op->angle);
		break;
	default:
		break;
	}
	dump_elem(op, f);
	fputc('\n', f);
}

void
page_dump(const struct pages *p, FILE *f)
{
	fprintf(f, "pages %zu size %d x %d\n", p->n, p->width, p->height);
	for (size_t i = 0; i < p->n; i++) {
		fprintf(f, "page %zu\n", i + 1);
		for (size_t k = 0; k < p->pages[i].nops; k++)
			dump_op(&p->pages[i].ops[k], f);
	}
	for (size_t i = 0; i < p->noutlines; i++)
		fprintf(f, "outline %d \"%s\" page %u\n", p->outlines[i].level,
		        p->outlines[i].title, p->outlines[i].page + 1);
	if (p->nannex > 0)
		fprintf(f, "annex %zu pages\n", p->nannex);
	/* The elements content was drawn for, with their ancestors. */
	if (p->nelems > 0) {
		unsigned char *used = calloc(p->nelems, 1);
		for (size_t i = 0; used != NULL && i < p->n; i++)
			for (size_t k = 0; k < p->pages[i].nops; k++) {
				uint32_t e = p->pages[i].ops[k].elem;
				while (e < p->nelems && !used[e]) {
					used[e] = 1;
					e = p->elems[e].parent;
				}
			}
		for (size_t e = 0; used != NULL && e < p->nelems; e++)
			if (used[e])
				fprintf(f, "elem %zu %s in %u\n", e,
				        page_tag_name(p->elems[e].tag),
				        p->elems[e].parent);
		for (size_t i = 0; i < p->nalts; i++)
			fprintf(f, "alt %u \"%s\"\n", p->alts[i].elem,
			        p->alts[i].text);
		free(used);
	}
	for (size_t i = 0; i < p->nmarks; i++) {
		fprintf(f, "copy %zu \"%s\"\n", i + 1, p->marks[i].label);
		for (size_t k = 0; k < p->marks[i].nwatermark; k++)
			dump_op(&p->marks[i].watermark[k], f);
		for (size_t k = 0; k < p->marks[i].nfooter; k++)
			dump_op(&p->marks[i].footer[k], f);
	}
}
