/*
 * Positioned pages (page.h): the dump that --dump=pages prints and the
 * golden tests compare.
 */
#include "page.h"

#include <stdio.h>

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
		fputc('\n', f);
		break;
	case PAGE_RULE:
		fprintf(f, "  rule %d %d %d %d\n", op->x, op->y, op->w, op->h);
		break;
	case PAGE_RECT:
		fprintf(f, "  rect %d %d %d %d\n", op->x, op->y, op->w, op->h);
		break;
	case PAGE_LINK_URI:
		fprintf(f, "  link %d %d %d %d %s\n", op->x, op->y, op->w,
		        op->h, op->uri);
		break;
	case PAGE_LINK_DEST:
		fprintf(f, "  goto %d %d %d %d page %u y %d\n", op->x, op->y,
		        op->w, op->h, op->dest_page + 1, op->dest_y);
		break;
	default:
		break;
	}
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
	for (size_t i = 0; i < p->nmarks; i++) {
		fprintf(f, "copy %zu \"%s\"\n", i + 1, p->marks[i].label);
		for (size_t k = 0; k < p->marks[i].nwatermark; k++)
			dump_op(&p->marks[i].watermark[k], f);
		for (size_t k = 0; k < p->marks[i].nfooter; k++)
			dump_op(&p->marks[i].footer[k], f);
	}
}
