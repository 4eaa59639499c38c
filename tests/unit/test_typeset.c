/*
 * The typesetter with a fake font (every glyph half an em, spaces a
 * quarter): justified lines fill the measure, notes stay on the page of
 * their markers (or go on to the next pages, in order and inside the
 * text area, when a line cites more than a page holds), markers in a row
 * break where they are wider than the line, missing glyphs are
 * reported.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/utf8.h"
#include "../../src/doc.h"
#include "../../src/job.h"
#include "../../src/metrics.h"
#include "../../src/page.h"
#include "../../src/tmpl.h"
#include "../../src/typeset/typeset.h"

static bool
fake_covers(void *ctx, enum face f, uint32_t cp)
{
	(void)ctx;
	(void)f;
	return cp != 0x2603;
}

/* Every character half an em, a space a quarter, a snowman missing;
 * "AV" kerns by a tenth of an em, as shaping would. */
static int32_t
fake_word(void *ctx, enum face f, const char *s, size_t len, bool rtl,
          bool *missing, int32_t *pen)
{
	int32_t w = 0;
	(void)rtl;
	for (size_t i = 0; i < len;) {
		if (pen != NULL)
			for (size_t j = i;
			     j < len &&
			     (j == i || ((unsigned char)s[j] & 0xC0) == 0x80);
			     j++)
				pen[j] = w;
		uint32_t cp = (unsigned char)s[i];
		size_t k = 1;
		if (cp >= 0x80)
			k = utf8_decode(s + i, len - i, &cp);
		if (!fake_covers(ctx, f, cp))
			*missing = true;
		w += cp == ' ' ? 250 : 500;
		if (i > 0 && s[i - 1] == 'A' && cp == 'V')
			w -= 100;
		i += k ? k : 1;
	}
	if (pen != NULL)
		pen[len] = w;
	return w;
}

static const struct metrics fake = {
    .word = fake_word,
    .covers = fake_covers,
    .ascent = {800, 800, 800, 800, 800},
    .descent = {-200, -200, -200, -200, -200},
};

static void
fake_template(struct tmpl *t)
{
	memset(t, 0, sizeof *t);
	t->page_width = 595276;
	t->page_height = 841890;
	t->margin_top = t->margin_bottom = 72000;
	t->margin_left = t->margin_right = 72000;
	t->header_offset = 24000;
	t->footer_offset = 24000;
	t->note_gap = 10000;
	t->note_rule_width = 100000;
	t->cell_padding = 3000;
	for (int s = 0; s < STYLE__MAX; s++)
		t->styles[s] = (struct style){
		    .face = FACE_SERIF, .size = 10000, .leading = 12000};
	t->styles[STYLE_NOTE] = (struct style){
	    .face = FACE_SERIF, .size = 8000, .leading = 9000, .align = 1};
}

struct fixture {
	struct arena arena;
	struct diag diag;
	struct job job;
	struct doc doc;
	struct tmpl t;
	char *out;
	size_t outlen;
	FILE *stream;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->stream = open_memstream(&f->out, &f->outlen);
	diag_init(&f->diag, f->stream);
	f->job = (struct job){
	    .arena = &f->arena, .diag = &f->diag, .source_date = -1};
	fake_template(&f->t);
	f->doc.root = doc_new(&f->arena, DOC_ROOT, (struct loc){0});
	for (int v = 0; v < VAR__MAX; v++)
		f->doc.vars[v] = "";
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	diag_free(&f->diag);
	fclose(f->stream);
	free(f->out);
	arena_free(&f->arena);
	free(f);
	return 0;
}

static const char *const lorem[] = {
    "ceasefire", "energy",     "infrastructure",
    "talks",     "in",         "Jeddah",
    "were",      "followed",   "by",
    "a",         "call",       "between",
    "the",       "presidents", "and",
    "readouts",  "that",       "differed",
    "on",        "scope",      "of",
    "pause",
};

/* A body paragraph of n words; a note marker after every tenth word. */
static struct doc_node *
paragraph(struct fixture *f, int n, int seed, bool notes)
{
	struct doc_node *p = doc_new(&f->arena, DOC_PARA, (struct loc){0});
	doc_append(f->doc.root, p);
	for (int i = 0; i < n; i++) {
		const char *w = lorem[(i * 7 + seed) % 22];
		doc_add_run(&f->arena, p,
		            arena_printf(&f->arena, "%s%s", i ? " " : "", w), 0,
		            (struct loc){"t.md", 1, (uint32_t)i + 1});
		if (notes && i % 10 == 9) {
			struct doc_note *nt =
			    doc_new_note(&f->arena, &f->doc, (struct loc){0});
			doc_note_add_run(
			    &f->arena, nt,
			    "A note long enough to wrap onto a second "
			    "line when set in the note style at the "
			    "full text width of the page.",
			    0, (struct loc){0});
			struct doc_run *r =
			    doc_add_run(&f->arena, p,
			                arena_printf(&f->arena, "%u", nt->num),
			                RUN_NOTEREF, (struct loc){0});
			r->note = nt->num;
		}
	}
	return p;
}

static void
test_justified_lines_fill_the_measure(void **state)
{
	struct fixture *f = *state;
	paragraph(f, 400, 3, false);
	struct pages pg;
	assert_true(typeset_doc(&f->job, &f->doc, &f->t, &fake, &pg));
	int32_t right = f->t.page_width - f->t.margin_right;
	int lines = 0, full = 0;
	int32_t last_y = -1;
	for (size_t k = 0; k < pg.n; k++) {
		int32_t y = -1, edge = 0;
		for (size_t i = 0; i <= pg.pages[k].nops; i++) {
			const struct page_op *op =
			    i < pg.pages[k].nops ? &pg.pages[k].ops[i] : NULL;
			if (op && op->type != PAGE_TEXT)
				continue;
			if (op && op->y == y) {
				if (op->x + op->w > edge)
					edge = op->x + op->w;
				continue;
			}
			if (y >= 0 && y > f->t.margin_bottom &&
			    y < f->t.page_height - f->t.margin_top) {
				lines++;
				full += edge == right;
				last_y = y;
			}
			if (op == NULL)
				break;
			y = op->y;
			edge = op->x + op->w;
		}
	}
	(void)last_y;
	assert_true(lines > 20);
	/* Every line but the paragraph's last ends exactly at the margin. */
	assert_int_equal(full, lines - 1);
	typeset_pages_free(&pg);
}

static void
test_notes_stay_on_the_page_of_their_markers(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 60; i++)
		paragraph(f, 35, i, true);
	struct pages pg;
	assert_true(typeset_doc(&f->job, &f->doc, &f->t, &fake, &pg));
	assert_true(pg.n > 3);
	size_t links = 0;
	for (size_t k = 0; k < pg.n; k++)
		for (size_t i = 0; i < pg.pages[k].nops; i++) {
			const struct page_op *op = &pg.pages[k].ops[i];
			if (op->type != PAGE_LINK_DEST)
				continue;
			links++;
			assert_int_equal(op->dest_page, k);
			/* The note sits below its marker. */
			assert_true(op->dest_y < op->y);
		}
	assert_int_equal(links, f->doc.nnotes);
	typeset_pages_free(&pg);
}

/* One line of n words, each with a marker of a note about lines long. */
static void
crowded_line(struct fixture *f, int n, int lines)
{
	struct doc_node *p = doc_new(&f->arena, DOC_PARA, (struct loc){0});
	doc_append(f->doc.root, p);
	for (int i = 0; i < n; i++) {
		doc_add_run(&f->arena, p, i ? " go" : "go", 0,
		            (struct loc){"t.md", 3, (uint32_t)i * 3 + 1});
		struct doc_note *nt =
		    doc_new_note(&f->arena, &f->doc, (struct loc){0});
		/* About 110 characters a line at the note size. */
		for (int k = 0; k < lines; k++)
			doc_note_add_run(&f->arena, nt,
			                 "A note that runs on and on, long "
			                 "enough to fill one line of notes at "
			                 "the full width of the text area. ",
			                 0, (struct loc){0});
		struct doc_run *r = doc_add_run(
		    &f->arena, p, arena_printf(&f->arena, "%u", nt->num),
		    RUN_NOTEREF, (struct loc){0});
		r->note = nt->num;
	}
}

static void
test_notes_of_a_crowded_line_go_on_to_the_next_pages(void **state)
{
	struct fixture *f = *state;
	paragraph(f, 300, 1, false);
	crowded_line(f, 20, 9); /* 20 notes, 160 lines: over two pages */
	paragraph(f, 300, 2, true);
	struct pages pg;
	assert_true(typeset_doc(&f->job, &f->doc, &f->t, &fake, &pg));
	diag_flush(&f->diag);
	fflush(f->stream);
	assert_string_equal(f->out, ""); /* nothing is reported */
	int32_t top = f->t.page_height - f->t.margin_top;
	uint32_t later = 0, prev_dest = 0;
	size_t links = 0;
	for (size_t k = 0; k < pg.n; k++) {
		for (size_t i = 0; i < pg.pages[k].nops; i++) {
			const struct page_op *op = &pg.pages[k].ops[i];
			if (op->type == PAGE_TEXT) {
				/* Inside the text area (ascent 0.8 em). */
				assert_true(op->y >= f->t.margin_bottom);
				assert_true(op->y + op->size * 8 / 10 <= top);
			}
			if (op->type != PAGE_LINK_DEST)
				continue;
			/* Each note on its marker's page or a later one,
			 * in the order of the notes. */
			links++;
			assert_true(op->dest_page >= k);
			assert_true(op->dest_page >= prev_dest);
			prev_dest = op->dest_page;
			later += op->dest_page > k;
		}
	}
	assert_int_equal(links, f->doc.nnotes);
	assert_true(later > 0);
	typeset_pages_free(&pg);
}

static void
test_markers_in_a_row_wider_than_the_line_break(void **state)
{
	struct fixture *f = *state;
	struct doc_node *p = doc_new(&f->arena, DOC_PARA, (struct loc){0});
	doc_append(f->doc.root, p);
	doc_add_run(&f->arena, p, "Many outlets reported it", 0,
	            (struct loc){"t.md", 1, 1});
	for (int i = 0; i < 150; i++) {
		struct doc_note *nt =
		    doc_new_note(&f->arena, &f->doc, (struct loc){0});
		doc_note_add_run(&f->arena, nt, "A note.", 0, (struct loc){0});
		struct doc_run *r = doc_add_run(
		    &f->arena, p, arena_printf(&f->arena, "%u", nt->num),
		    RUN_NOTEREF, (struct loc){0});
		r->note = nt->num;
	}
	doc_add_run(&f->arena, p, ".", 0, (struct loc){"t.md", 1, 900});
	struct pages pg;
	assert_true(typeset_doc(&f->job, &f->doc, &f->t, &fake, &pg));
	diag_flush(&f->diag);
	fflush(f->stream);
	assert_string_equal(f->out, "");
	int32_t right = f->t.page_width - f->t.margin_right;
	size_t marks = 0, commas = 0, lines = 0;
	for (size_t k = 0; k < pg.n; k++) {
		int32_t y = -1;
		for (size_t i = 0; i < pg.pages[k].nops; i++) {
			const struct page_op *op = &pg.pages[k].ops[i];
			if (op->type != PAGE_TEXT || op->size == 8000)
				continue; /* the notes */
			assert_true(op->x >= f->t.margin_left);
			assert_true(op->x + op->w <= right);
			if (op->size == 10000)
				continue;
			if (strcmp(op->text, ",") == 0) {
				commas++; /* between two markers */
				continue;
			}
			marks++;
			lines += op->y != y; /* a new line of markers */
			y = op->y;
		}
	}
	assert_int_equal(marks, 150);
	assert_int_equal(commas, 149);
	assert_true(lines >= 3); /* the markers took three lines or more */
	typeset_pages_free(&pg);
}

static void
test_missing_glyph_is_reported_once_with_its_place(void **state)
{
	struct fixture *f = *state;
	struct doc_node *p = doc_new(&f->arena, DOC_PARA, (struct loc){0});
	doc_append(f->doc.root, p);
	doc_add_run(&f->arena, p, "snow ☃ and ☃ again", 0,
	            (struct loc){"x.yaml", 4, 9});
	struct pages pg;
	assert_true(typeset_doc(&f->job, &f->doc, &f->t, &fake, &pg));
	diag_flush(&f->diag);
	fflush(f->stream);
	assert_string_equal(f->out, "x.yaml:4:9: warning: character U+2603 "
	                            "(\"☃\") is not in the serif font; it "
	                            "prints as a box\n");
	typeset_pages_free(&pg);
}

/* check's walk reports what typesetting would, without setting. */
static void
test_missing_glyph_is_reported_by_check_as_by_build(void **state)
{
	struct fixture *f = *state;
	struct doc_node *p = doc_new(&f->arena, DOC_PARA, (struct loc){0});
	doc_append(f->doc.root, p);
	doc_add_run(&f->arena, p, "snow ☃ and ☃ again", 0,
	            (struct loc){"x.yaml", 4, 9});
	assert_true(typeset_check_glyphs(&f->job, &f->doc, &f->t, &fake));
	diag_flush(&f->diag);
	fflush(f->stream);
	assert_string_equal(f->out, "x.yaml:4:9: warning: character U+2603 "
	                            "(\"☃\") is not in the serif font; it "
	                            "prints as a box\n");
}

/*
 * A word of 50,000 letters at 100pt is 2.5 million points wide, more than
 * an int32_t holds in milli-points: it is broken across lines like any
 * word wider than the measure, every line within the margins.
 */
static void
test_word_wider_than_int32_is_broken_across_lines(void **state)
{
	struct fixture *f = *state;
	f->t.styles[STYLE_BODY].size = 100000;
	f->t.styles[STYLE_BODY].leading = 120000;
	size_t n = 50000;
	char *word = arena_alloc(&f->arena, n + 1);
	memset(word, 'x', n);
	struct doc_node *p = doc_new(&f->arena, DOC_PARA, (struct loc){0});
	doc_append(f->doc.root, p);
	doc_add_run(&f->arena, p, word, 0, (struct loc){"w.md", 2, 3});
	struct pages pg;
	assert_true(typeset_doc(&f->job, &f->doc, &f->t, &fake, &pg));
	int32_t right = f->t.page_width - f->t.margin_right;
	size_t letters = 0, ops = 0;
	for (size_t k = 0; k < pg.n; k++)
		for (size_t i = 0; i < pg.pages[k].nops; i++) {
			const struct page_op *op = &pg.pages[k].ops[i];
			if (op->type != PAGE_TEXT || op->size != 100000)
				continue;
			assert_true(op->w > 0);
			assert_true(op->x + op->w <= right);
			letters += strspn(op->text, "x");
			ops++;
		}
	assert_int_equal(letters, n);
	assert_true(ops > n / 10);
	diag_flush(&f->diag);
	fflush(f->stream);
	assert_non_null(strstr(f->out, "w.md:2:3: warning: \"xxxx"));
	assert_non_null(strstr(f->out, "is wider than its column"));
	typeset_pages_free(&pg);
}

/*
 * A word wider than the line with 39 hyphens of its own breaks after them
 * however many there are: no line is cut between letters, nothing to
 * report.
 */
static void
test_word_with_many_hyphens_breaks_after_them(void **state)
{
	struct fixture *f = *state;
	char word[40 * 4];
	size_t n = 0;
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(word + n, sizeof word - n, "%sab",
		                      i ? "-" : "");
	struct doc_node *p = doc_new(&f->arena, DOC_PARA, (struct loc){0});
	doc_append(f->doc.root, p);
	doc_add_run(&f->arena, p, word, 0, (struct loc){"h.md", 1, 1});
	struct pages pg;
	assert_true(typeset_doc(&f->job, &f->doc, &f->t, &fake, &pg));
	diag_flush(&f->diag);
	fflush(f->stream);
	assert_string_equal(f->out, "");
	size_t lines = 0, letters = 0;
	for (size_t k = 0; k < pg.n; k++)
		for (size_t i = 0; i < pg.pages[k].nops; i++) {
			const struct page_op *op = &pg.pages[k].ops[i];
			if (op->type != PAGE_TEXT ||
			    strchr(op->text, 'a') == NULL)
				continue;
			size_t len = strlen(op->text);
			lines++;
			letters += len;
			/* Each line ends after a hyphen or with the word. */
			assert_true(op->text[len - 1] == '-' ||
			            op->text[len - 1] == 'b');
			assert_true(len % 3 == 0 || len % 3 == 2);
		}
	assert_true(lines >= 2);
	assert_int_equal(letters, n);
	typeset_pages_free(&pg);
}

/* A box (the summary) whose lines would go past 2,000,000pt: an error at
 * the box, and typeset_doc() fails. */
static void
test_box_taller_than_the_limit_is_an_error(void **state)
{
	struct fixture *f = *state;
	f->t.styles[STYLE_BOX].leading = 500000000;
	struct doc_node *box =
	    doc_new(&f->arena, DOC_BOX, (struct loc){"f.yaml", 7, 12});
	doc_append(f->doc.root, box);
	struct doc_node *p = doc_new(&f->arena, DOC_PARA, (struct loc){0});
	p->style = STYLE_BOX;
	doc_append(box, p);
	for (int i = 0; i < 200; i++)
		doc_add_run(&f->arena, p, "ceasefire talks ", 0,
		            (struct loc){"s.md", 1, 1});
	struct pages pg;
	assert_false(typeset_doc(&f->job, &f->doc, &f->t, &fake, &pg));
	diag_flush(&f->diag);
	fflush(f->stream);
	int32_t pages = 2000000000 / (f->t.page_height - f->t.margin_top -
	                              f->t.margin_bottom);
	char want[200];
	snprintf(want, sizeof want,
	         "f.yaml:7:12: error: the summary is too long: more than "
	         "2000000 pt (about %d pages) in one box\n",
	         (int)pages);
	assert_string_equal(f->out, want);
	typeset_pages_free(&pg);
}

/* The same for a table row. */
static void
test_table_row_taller_than_the_limit_is_an_error(void **state)
{
	struct fixture *f = *state;
	f->t.styles[STYLE_TABLE].leading = 500000000;
	struct doc_node *t =
	    doc_new(&f->arena, DOC_TABLE, (struct loc){"f.yaml", 30, 5});
	t->as.table.ncols = 1;
	t->as.table.nhead = 1;
	doc_append(f->doc.root, t);
	for (int r = 0; r < 2; r++) {
		struct doc_node *row =
		    doc_new(&f->arena, DOC_ROW, (struct loc){"f.yaml", 31, 5});
		doc_append(t, row);
		struct doc_node *cell =
		    doc_new(&f->arena, DOC_CELL, (struct loc){0});
		doc_append(row, cell);
		struct doc_node *p =
		    doc_new(&f->arena, DOC_PARA, (struct loc){0});
		p->style = r ? STYLE_TABLE : STYLE_TABLE_HEAD;
		doc_append(cell, p);
		for (int i = 0; i < (r ? 200 : 1); i++)
			doc_add_run(&f->arena, p, "strikes continued ", 0,
			            (struct loc){0});
	}
	struct pages pg;
	assert_false(typeset_doc(&f->job, &f->doc, &f->t, &fake, &pg));
	diag_flush(&f->diag);
	fflush(f->stream);
	assert_non_null(strstr(f->out, "f.yaml:31:5: error: this table row is "
	                               "too long: more than 2000000 pt"));
	assert_non_null(strstr(f->out, " in one row\n"));
	typeset_pages_free(&pg);
}

/* The same for a note. */
static void
test_note_taller_than_the_limit_is_an_error(void **state)
{
	struct fixture *f = *state;
	f->t.styles[STYLE_NOTE].leading = 500000000;
	struct doc_node *p = doc_new(&f->arena, DOC_PARA, (struct loc){0});
	doc_append(f->doc.root, p);
	struct doc_note *nt =
	    doc_new_note(&f->arena, &f->doc, (struct loc){"c.md", 3, 14});
	for (int i = 0; i < 200; i++)
		doc_note_add_run(&f->arena, nt, "para. 2 of the report ", 0,
		                 (struct loc){0});
	doc_add_run(&f->arena, p, "The grid held.", 0, (struct loc){0});
	struct doc_run *r =
	    doc_add_run(&f->arena, p, "1", RUN_NOTEREF, (struct loc){0});
	r->note = nt->num;
	struct pages pg;
	assert_false(typeset_doc(&f->job, &f->doc, &f->t, &fake, &pg));
	diag_flush(&f->diag);
	fflush(f->stream);
	assert_non_null(strstr(f->out, "c.md:3:14: error: this note is too "
	                               "long: more than 2000000 pt"));
	typeset_pages_free(&pg);
}

int
run_typeset_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_justified_lines_fill_the_measure, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_notes_stay_on_the_page_of_their_markers, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_notes_of_a_crowded_line_go_on_to_the_next_pages, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(
	        test_markers_in_a_row_wider_than_the_line_break, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(
	        test_missing_glyph_is_reported_once_with_its_place, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(
	        test_missing_glyph_is_reported_by_check_as_by_build, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(
	        test_word_wider_than_int32_is_broken_across_lines, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(
	        test_word_with_many_hyphens_breaks_after_them, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_box_taller_than_the_limit_is_an_error, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_table_row_taller_than_the_limit_is_an_error, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(
	        test_note_taller_than_the_limit_is_an_error, setup, teardown),
	};
	return cmocka_run_group_tests_name("typeset", tests, NULL, NULL);
}
