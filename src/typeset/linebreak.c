/*
 * Total-fit line breaking, after Knuth and Plass, "Breaking Paragraphs
 * into Lines", Software: Practice and Experience 11 (1981).  Section
 * numbers below refer to that paper.  All arithmetic is integer, so the
 * same paragraph breaks the same way under any compiler.
 */
#include "linebreak.h"

#include <stdint.h>

#include "../base/arena.h"

struct active {
	size_t pos;  /* item index of the break */
	size_t line; /* lines before this break */
	int fitness; /* 0 tight, 1 decent, 2 loose, 3 very loose */
	int64_t width, stretch, shrink; /* totals after the break */
	int64_t demerits;
	bool flagged;        /* the break is a hyphen */
	struct active *prev; /* best previous break */
	struct active *next; /* next in the active list */
};

int32_t
linebreak_badness(int64_t t, int64_t s)
{
	/* TeX's approximation of 100 (t/s)^3, tex.web section 108. */
	int64_t r;
	if (t == 0)
		return 0;
	if (s <= 0)
		return LB_INF;
	if (t <= 7230584)
		r = (t * 297) / s;
	else if (s >= 1663497)
		r = t / (s / 297);
	else
		r = t;
	if (r > 1290)
		return LB_INF;
	return (int32_t)((r * r * r + 0x20000) >> 18);
}

static int
fitness_of(int32_t badness, bool stretching)
{
	if (!stretching)
		return badness > 12 ? 0 : 1;
	if (badness > 99)
		return 3;
	return badness > 12 ? 2 : 1;
}

static bool
is_break(const struct lb_item *items, size_t i)
{
	const struct lb_item *it = &items[i];
	if (it->type == LB_PENALTY)
		return it->penalty < LB_INF;
	if (it->type == LB_GLUE)
		return i > 0 && items[i - 1].type == LB_BOX;
	return false;
}

/* Totals from the start of the paragraph up to (not including) item i,
 * plus the break's own totals after discarding glue and penalties. */
struct sums {
	int64_t width, stretch, shrink;
};

static struct sums
after_break(const struct lb_item *items, size_t n, size_t b, struct sums s)
{
	for (size_t i = b; i < n; i++) {
		if (items[i].type == LB_BOX)
			break;
		if (items[i].type == LB_GLUE) {
			s.width += items[i].width;
			s.stretch += items[i].stretch;
			s.shrink += items[i].shrink;
		} else if (items[i].penalty <= -LB_INF && i > b) {
			break;
		}
	}
	return s;
}

/* The width of the line after `line` lines. */
static int64_t
line_width(const struct lb_params *p, size_t line)
{
	return line == 0 && p->first_width > 0 ? p->first_width : p->width;
}

/* One pass of the algorithm (section "The algorithm", steps 1-5). */
static struct active *
kp_pass(struct arena *scratch, const struct lb_item *items, size_t n,
        const struct lb_params *p, int32_t tolerance)
{
	struct active *head = arena_alloc(scratch, sizeof *head);
	*head = (struct active){.fitness = 1};
	struct sums sum = {0, 0, 0};
	struct active *last_done = NULL;

	for (size_t b = 0; b < n; b++) {
		const struct lb_item *it = &items[b];
		if (is_break(items, b) && head != NULL) {
			struct active *best[4] = {NULL, NULL, NULL, NULL};
			int64_t best_d[4] = {INT64_MAX, INT64_MAX, INT64_MAX,
			                     INT64_MAX};
			struct active *prev = NULL, *a = head;
			while (a != NULL) {
				struct active *next = a->next;
				int64_t len = sum.width - a->width;
				if (it->type == LB_PENALTY)
					len += it->width;
				int64_t bad, width = line_width(p, a->line);
				bool stretching = len < width;
				if (stretching)
					bad = linebreak_badness(width - len,
					                        sum.stretch -
					                            a->stretch);
				else if (len > width) {
					int64_t sh = sum.shrink - a->shrink;
					bad = len - width > sh
					          ? LB_INF + 1
					          : linebreak_badness(
					                len - width, sh);
				} else
					bad = 0;
				bool forced = it->type == LB_PENALTY &&
				              it->penalty <= -LB_INF;
				bool deactivate = bad > LB_INF || forced;
				if (bad <= tolerance) {
					int64_t d = p->line_penalty + bad;
					d = d * d;
					if (it->type == LB_PENALTY) {
						int64_t pen = it->penalty;
						if (pen >= 0)
							d += pen * pen;
						else if (pen > -LB_INF)
							d -= pen * pen;
					}
					if (it->type == LB_PENALTY &&
					    it->flagged && a->flagged)
						d += p->double_hyphen;
					else if (forced && a->flagged)
						d += p->final_hyphen;
					int fit = fitness_of((int32_t)bad,
					                     stretching);
					if (fit - a->fitness > 1 ||
					    a->fitness - fit > 1)
						d += p->fitness_demerits;
					d += a->demerits;
					if (d < best_d[fit]) {
						best_d[fit] = d;
						best[fit] = a;
					}
				}
				if (deactivate) {
					if (prev)
						prev->next = next;
					else
						head = next;
				} else {
					prev = a;
				}
				a = next;
			}
			struct sums after = after_break(items, n, b, sum);
			if (it->type == LB_PENALTY && it->penalty <= -LB_INF)
				last_done = NULL; /* only the latest forced
				                   * break can end the text */
			for (int f = 0; f < 4; f++) {
				if (best[f] == NULL)
					continue;
				struct active *na =
				    arena_alloc(scratch, sizeof *na);
				*na = (struct active){
				    .pos = b,
				    .line = best[f]->line + 1,
				    .fitness = f,
				    .width = after.width,
				    .stretch = after.stretch,
				    .shrink = after.shrink,
				    .demerits = best_d[f],
				    .flagged =
				        it->type == LB_PENALTY && it->flagged,
				    .prev = best[f],
				    .next = head,
				};
				head = na;
				if (it->type == LB_PENALTY &&
				    it->penalty <= -LB_INF &&
				    (last_done == NULL ||
				     na->demerits < last_done->demerits))
					last_done = na;
			}
			if (head == NULL && last_done == NULL)
				return NULL; /* no feasible breaks */
		}
		if (it->type == LB_BOX || it->type == LB_GLUE) {
			sum.width += it->width;
			if (it->type == LB_GLUE) {
				sum.stretch += it->stretch;
				sum.shrink += it->shrink;
			}
		}
	}
	return last_done;
}

/* First fit: break at the last legal place where the line still fits. */
static size_t
first_fit(struct arena *scratch, const struct lb_item *items, size_t n,
          const struct lb_params *p, size_t **breaks)
{
	size_t *out = arena_array(scratch, n + 1, sizeof *out);
	size_t nb = 0, start = 0;
	while (start < n) {
		int64_t w = 0, shrink = 0;
		size_t last_ok = SIZE_MAX;
		size_t i;
		for (i = start; i < n; i++) {
			const struct lb_item *it = &items[i];
			if (is_break(items, i) && i > start) {
				int64_t len =
				    w +
				    (it->type == LB_PENALTY ? it->width : 0);
				int64_t width = line_width(p, nb);
				if (len - shrink <= width ||
				    last_ok == SIZE_MAX)
					last_ok = i;
				if (len - shrink > width)
					break;
				if (it->type == LB_PENALTY &&
				    it->penalty <= -LB_INF)
					break;
			}
			if (it->type != LB_PENALTY) {
				w += it->width;
				shrink += it->type == LB_GLUE ? it->shrink : 0;
			}
		}
		if (last_ok == SIZE_MAX)
			last_ok = n - 1;
		out[nb++] = last_ok;
		/* Skip discardable items after the break. */
		start = last_ok + 1;
		while (start < n && items[start].type != LB_BOX &&
		       !(items[start].type == LB_PENALTY &&
		         items[start].penalty <= -LB_INF))
			start++;
		if (start < n && items[start].type == LB_PENALTY &&
		    start == n - 1)
			break;
	}
	*breaks = out;
	return nb;
}

static size_t
unwind(struct arena *scratch, struct active *end, size_t **breaks)
{
	size_t lines = end->line;
	size_t *out = arena_array(scratch, lines ? lines : 1, sizeof *out);
	for (struct active *a = end; a != NULL && a->line > 0; a = a->prev)
		out[a->line - 1] = a->pos;
	*breaks = out;
	return lines;
}

size_t
linebreak_pass(struct arena *scratch, const struct lb_item *items, size_t n,
               const struct lb_params *p, size_t **breaks)
{
	struct active *end = kp_pass(scratch, items, n, p, p->tolerance);
	return end ? unwind(scratch, end, breaks) : 0;
}

size_t
linebreak(struct arena *scratch, const struct lb_item *items, size_t n,
          const struct lb_params *p, size_t **breaks, bool *is_fallback)
{
	*is_fallback = false;
	struct active *end = kp_pass(scratch, items, n, p, p->tolerance);
	if (end == NULL && p->tolerance < 2000)
		end = kp_pass(scratch, items, n, p, 2000);
	if (end != NULL)
		return unwind(scratch, end, breaks);
	*is_fallback = true;
	return first_fit(scratch, items, n, p, breaks);
}
