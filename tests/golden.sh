# Golden dumps, sourced by tests/run.sh (which defines ok, not_ok, $BRIEFING
# and $tmp).  Each tests/golden/NAME/ holds:
#
#   args    the build's arguments, on one line (paths from the top of the
#           tree; a case's own inputs may sit beside it).  A case that
#           needs -o names a place with no file, /nonexistent/: a
#           state file beside the output would change the document.
#   doc     the expected --dump=doc: the document tree compose makes
#   pages   the expected --dump=pages: every item typeset puts on a page
#   err     the expected diagnostics of the --dump=pages run
#
# A case passes when all three outputs are the same, byte for byte, so a
# change to compose or typeset shows in review as a diff of these files.
# UPDATE=1 tests/run.sh rewrites them.
# shellcheck shell=sh disable=SC2154
for gd in tests/golden/*/; do
	gd=${gd%/}
	gname=$(basename "$gd")
	gargs=$(cat "$gd/args")
	# shellcheck disable=SC2086
	SOURCE_DATE_EPOCH=1 "$BRIEFING" build $gargs --dump=doc \
		>"$tmp/golden-$gname.doc" 2>/dev/null
	gst=$?
	# shellcheck disable=SC2086
	SOURCE_DATE_EPOCH=1 "$BRIEFING" build $gargs --dump=pages \
		>"$tmp/golden-$gname.pages" 2>"$tmp/golden-$gname.err"
	gst2=$?
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$tmp/golden-$gname.doc" "$gd/doc"
		cp "$tmp/golden-$gname.pages" "$gd/pages"
		cp "$tmp/golden-$gname.err" "$gd/err"
	fi
	gbad=""
	for gk in doc pages err; do
		if ! diff -u "$gd/$gk" "$tmp/golden-$gname.$gk" >"$tmp/golden.diff" 2>&1; then
			gbad="$gbad$(head -40 "$tmp/golden.diff")
"
		fi
	done
	if [ $gst -ne 0 ] || [ $gst2 -ne 0 ]; then
		not_ok "golden $gname" "exit $gst/$gst2: $(cat "$tmp/golden-$gname.err")"
	elif [ -n "$gbad" ]; then
		not_ok "golden $gname: the dumps differ from $gd" "$gbad"
	else
		ok "golden $gname: document tree and pages as in $gd"
	fi
done
