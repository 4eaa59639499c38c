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
#   struct  (the sample only) what poppler's pdfinfo -struct-text reads
#           of the tagged PDF: the structure tree and each element's text
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
	# The structure tree of the tagged PDF, as poppler reads it, where
	# the case has one to compare.
	if [ ! -f "$gd/struct" ] && { [ "${UPDATE:-0}" != 1 ] || [ "$gname" != sample ]; }; then
		continue
	fi
	# shellcheck disable=SC2086
	SOURCE_DATE_EPOCH=1 "$BRIEFING" build $gargs -o "$tmp/golden-$gname.pdf" 2>/dev/null &&
		pdfinfo -struct-text "$tmp/golden-$gname.pdf" >"$tmp/golden-$gname.struct" 2>&1
	gst=$?
	[ "${UPDATE:-0}" = 1 ] && cp "$tmp/golden-$gname.struct" "$gd/struct"
	if [ $gst -ne 0 ]; then
		not_ok "golden $gname: structure tree" "exit $gst"
	elif ! diff -u "$gd/struct" "$tmp/golden-$gname.struct" >"$tmp/golden.diff" 2>&1; then
		not_ok "golden $gname: pdfinfo -struct-text differs from $gd/struct" \
			"$(head -40 "$tmp/golden.diff")"
	else
		ok "golden $gname: the structure tree pdfinfo reads is $gd/struct"
	fi
done
