// Reads a PDF with PDF.js, the reader of Firefox and of many web viewers,
// the way the test suite reads it with qpdf, poppler, MuPDF and Ghostscript.
//
//   node tests/pdfjs/check.mjs FILE.pdf [--tagged] [--expect TEXT]...
//
// Opens the document, loads every page, its annotations, its drawing
// operators and its text, and fails on any warning or error PDF.js reports.
// Each --expect TEXT must occur in the text of the pages: the text items of
// a page are joined as they are, with a line break where PDF.js ends a line.
//
// With --tagged it also reads each page's structure tree and its text with
// the marked content (BMC/BDC ... EMC) around it, the way assistive
// technology reading the PDF through PDF.js does, and sorts the text items
// that show something (a non-empty string) by the innermost sequence around
// them that has an MCID or is an /Artifact: tagged, artifact, or neither.
// It fails when one is neither, when a page with text has no structure tree,
// or when an MCID of the page's content is not a content node of that
// page's structure tree (PDF.js names both "p<page ref>_mc<MCID>").
//
// Prints "pdf.js     ok, N pages" (with --tagged: ", T tagged + A artifact
// text items" after it) and exits 0 when the file is clean; prints
// "pdf.js     FAIL: ..." lines and exits 1 otherwise; exits 2 on a usage
// error, an unreadable file, or when pdfjs-dist is not installed.

import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const LABEL = "pdf.js".padEnd(10);
const TIME_LIMIT_MS = 120000;
const USAGE = "usage: node tests/pdfjs/check.mjs FILE.pdf [--tagged] [--expect TEXT]...";

const print = (line) => process.stdout.write(line + "\n");
const usageError = (msg) => {
	process.stderr.write(`${msg}\n${USAGE}\n`);
	process.exit(2);
};

// --- command line -----------------------------------------------------------
let file = null;
let tagged = false;
const expects = [];
{
	const args = process.argv.slice(2);
	for (let i = 0; i < args.length; i++) {
		const a = args[i];
		if (a === "--expect") {
			if (i + 1 >= args.length) usageError("check.mjs: --expect needs TEXT");
			expects.push(args[++i]);
		} else if (a === "--tagged") {
			tagged = true;
		} else if (a === "-h" || a === "--help") {
			print(USAGE);
			process.exit(0);
		} else if (a.startsWith("-") && a !== "-") {
			usageError(`check.mjs: unknown option ${a}`);
		} else if (file === null) {
			file = a;
		} else {
			usageError(`check.mjs: more than one file given (${file}, ${a})`);
		}
	}
	if (file === null) usageError("check.mjs: no PDF file given");
}

let data;
try {
	data = new Uint8Array(await readFile(file));
} catch (e) {
	process.stderr.write(`check.mjs: cannot read ${file}: ${e.message}\n`);
	process.exit(2);
}

// --- everything PDF.js says goes to a list, not to the terminal -------------
// PDF.js reports recoverable problems in the file ("Warning: ...") and, at
// higher verbosity, information ("Info: ...") through the console.
const said = [];
for (const level of ["log", "info", "warn", "error", "debug", "trace"]) {
	console[level] = (...parts) => said.push(parts.map(String).join(" "));
}
process.on("unhandledRejection", (e) => said.push(`unhandled rejection: ${e?.message ?? e}`));

// Without the optional canvas packages PDF.js says it cannot set up the
// drawing classes; that concerns drawing on a canvas, never done here, and
// says nothing about the file.
const ABOUT_THE_SETUP = /^Warning: Cannot polyfill `\w+`, rendering may be broken\.$/;

let pdfjs;
try {
	pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
} catch (e) {
	if (e?.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes("pdfjs-dist")) {
		process.stderr.write(
			"check.mjs: pdfjs-dist is not installed in tests/pdfjs/node_modules; run make deps\n",
		);
		process.exit(2);
	}
	throw e;
}

const distDir = (sub) =>
	fileURLToPath(new URL(`./node_modules/pdfjs-dist/${sub}/`, import.meta.url));

const problems = [];
const timer = setTimeout(() => {
	report([`no result after ${TIME_LIMIT_MS / 1000} s`]);
}, TIME_LIMIT_MS);

let pages = 0;
const pageTexts = [];
const textItems = { tagged: 0, artifact: 0 };
try {
	const doc = await pdfjs.getDocument({
		data,
		verbosity: pdfjs.VerbosityLevel.WARNINGS,
		// Give up on damaged data instead of recovering what can be recovered.
		stopAtErrors: true,
		isEvalSupported: false,
		useSystemFonts: false,
		disableFontFace: true,
		// Fonts the file names without embedding them, and CMaps, come from
		// the package, so a complaint about them is about the file.
		standardFontDataUrl: distDir("standard_fonts"),
		cMapUrl: distDir("cmaps"),
		cMapPacked: true,
	}).promise;
	pages = doc.numPages;
	await doc.getMetadata();
	await doc.getOutline();
	for (let n = 1; n <= pages; n++) {
		const page = await doc.getPage(n);
		await page.getAnnotations();
		await page.getOperatorList();
		const content = await page.getTextContent();
		let text = "";
		for (const item of content.items) {
			if (typeof item.str !== "string") continue;
			text += item.str;
			if (item.hasEOL) text += "\n";
		}
		pageTexts.push(text);
		if (tagged) await checkTagged(page, n);
		page.cleanup();
	}
	await doc.destroy();
} catch (e) {
	problems.push(`${e?.name ?? "Error"}: ${e?.message ?? e}`);
}

// --- tagged: the marked content around the text, and the structure tree -----
async function checkTagged(page, n) {
	const content = await page.getTextContent({ includeMarkedContent: true });
	const open = []; // per open sequence: its MCID id, "Artifact", or null
	const ids = new Set();
	let neither = 0;
	let text = false;
	for (const item of content.items) {
		if (item.type === "beginMarkedContent") {
			open.push(item.tag === "Artifact" ? "Artifact" : null);
		} else if (item.type === "beginMarkedContentProps") {
			if (item.tag === "Artifact") {
				open.push("Artifact");
			} else {
				open.push(item.id ?? null);
				if (item.id) ids.add(item.id);
			}
		} else if (item.type === "endMarkedContent") {
			open.pop();
		} else if (typeof item.str === "string" && item.str !== "") {
			text = true;
			const inner = open.findLast((m) => m !== null);
			if (inner === undefined) neither++;
			else if (inner === "Artifact") textItems.artifact++;
			else textItems.tagged++;
		}
	}
	if (neither > 0) {
		problems.push(
			`page ${n}: ${neither} text item${neither === 1 ? "" : "s"} ` +
				"neither in tagged content nor in an artifact",
		);
	}
	const tree = await page.getStructTree();
	if (tree === null) {
		if (text) problems.push(`page ${n}: text but no structure tree`);
		return;
	}
	const inTree = new Set();
	const todo = [tree];
	while (todo.length > 0) {
		const node = todo.pop();
		if (node.type === "content") inTree.add(node.id);
		if (Array.isArray(node.children)) todo.push(...node.children);
	}
	const missing = [...ids].filter((id) => !inTree.has(id));
	if (missing.length > 0) {
		const shown = missing.slice(0, 5).join(", ");
		const more = missing.length > 5 ? ` and ${missing.length - 5} more` : "";
		problems.push(
			`page ${n}: marked content not in the page's structure tree: ${shown}${more}`,
		);
	}
}

const text = pageTexts.join("\n");
for (const e of expects) {
	if (!text.includes(e)) problems.push(`missing: ${e}`);
}
report(problems);

function report(found) {
	clearTimeout(timer);
	const counts = new Map();
	for (const m of said) {
		if (ABOUT_THE_SETUP.test(m)) continue;
		counts.set(m, (counts.get(m) ?? 0) + 1);
	}
	const lines = [];
	for (const [m, k] of counts) lines.push(k > 1 ? `${m} (${k} times)` : m);
	lines.push(...found);
	if (lines.length === 0) {
		const items = tagged
			? `, ${textItems.tagged} tagged + ${textItems.artifact} artifact text items`
			: "";
		print(`${LABEL} ok, ${pages} page${pages === 1 ? "" : "s"}${items}`);
		process.exit(0);
	}
	const shown = lines.slice(0, 10);
	for (const l of shown) print(`${LABEL} FAIL: ${l}`);
	if (lines.length > shown.length) {
		print(`${LABEL} FAIL: and ${lines.length - shown.length} more`);
	}
	process.exit(1);
}
