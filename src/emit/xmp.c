/*
 * Emit stage: the XMP metadata packet that PDF/A asks for beside the
 * document information, with the same title, author, subject, keywords,
 * creator, producer and dates.  Written here rather than by libharu,
 * whose XMP writer pastes the title into the XML unescaped.
 */
#include "emit_int.h"

#include <string.h>

#include "../base/buf.h"
#include "../base/utf8.h"

/*
 * s as XML character data or attribute value: the five markup characters
 * escaped; the characters XML 1.0 does not allow (C0 controls but tab,
 * line feed and carriage return; U+FFFE, U+FFFF) and bytes that are not
 * UTF-8 as U+FFFD, so that the packet always parses.
 */
static void
put_text(struct buf *b, const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp = (unsigned char)s[i];
		size_t k = 1;
		if (cp >= 0x80 && (k = utf8_decode(s + i, len - i, &cp)) == 0)
			k = 1, cp = 0xFFFD;
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    cp == 0xFFFE || cp == 0xFFFF)
			cp = 0xFFFD;
		switch (cp) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&apos;");
			break;
		case 0xFFFD:
			buf_puts(b, "\xEF\xBF\xBD");
			break;
		default:
			buf_add(b, s + i, k);
			break;
		}
		i += k;
	}
}

/* <NAME>value</NAME> on a line of its own, when value is not empty. */
static void
put_simple(struct buf *b, const char *name, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	buf_printf(b, "   <%s>", name);
	put_text(b, value);
	buf_printf(b, "</%s>\n", name);
}

/* A language alternative: the default, and the same in lang. */
static void
put_alt(struct buf *b, const char *name, const char *value, const char *lang)
{
	if (value == NULL || *value == '\0')
		return;
	buf_printf(b, "   <%s><rdf:Alt>\n    <rdf:li xml:lang=\"x-default\">",
	           name);
	put_text(b, value);
	buf_puts(b, "</rdf:li>\n");
	if (lang != NULL && *lang != '\0') {
		buf_puts(b, "    <rdf:li xml:lang=\"");
		put_text(b, lang);
		buf_puts(b, "\">");
		put_text(b, value);
		buf_puts(b, "</rdf:li>\n");
	}
	buf_printf(b, "   </rdf:Alt></%s>\n", name);
}

void
xmp_packet(struct buf *b, const struct xmp *x)
{
	buf_reset(b);
	/* The packet wrapper, with the byte order mark PDF/A asks for. */
	buf_puts(
	    b, "<?xpacket begin=\"\xEF\xBB\xBF\" "
	       "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	       "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	       " <rdf:RDF "
	       "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
	/* PDF/A accepts only the schemas it predefines and those a file
	 * declares: PDF/UA's identification is not one of the first. */
	if (x->ua && x->pdfa)
		buf_puts(
		    b,
		    "  <rdf:Description rdf:about=\"\"\n"
		    "    xmlns:pdfaExtension="
		    "\"http://www.aiim.org/pdfa/ns/extension/\"\n"
		    "    "
		    "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
		    "    xmlns:pdfaProperty="
		    "\"http://www.aiim.org/pdfa/ns/property#\">\n"
		    "   <pdfaExtension:schemas>\n"
		    "    <rdf:Bag>\n"
		    "     <rdf:li rdf:parseType=\"Resource\">\n"
		    "      <pdfaSchema:schema>PDF/UA Universal Accessibility "
		    "Schema</pdfaSchema:schema>\n"
		    "      <pdfaSchema:namespaceURI>"
		    "http://www.aiim.org/pdfua/ns/id/"
		    "</pdfaSchema:namespaceURI>\n"
		    "      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
		    "      <pdfaSchema:property>\n"
		    "       <rdf:Seq>\n"
		    "        <rdf:li rdf:parseType=\"Resource\">\n"
		    "         <pdfaProperty:name>part</pdfaProperty:name>\n"
		    "         <pdfaProperty:valueType>Integer"
		    "</pdfaProperty:valueType>\n"
		    "         <pdfaProperty:category>internal"
		    "</pdfaProperty:category>\n"
		    "         <pdfaProperty:description>Indicates, which part "
		    "of ISO 14289 standard is followed"
		    "</pdfaProperty:description>\n"
		    "        </rdf:li>\n"
		    "       </rdf:Seq>\n"
		    "      </pdfaSchema:property>\n"
		    "     </rdf:li>\n"
		    "    </rdf:Bag>\n"
		    "   </pdfaExtension:schemas>\n"
		    "  </rdf:Description>\n");
	buf_puts(b, "  <rdf:Description rdf:about=\"\"\n"
	            "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
	            "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
	            "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"");
	if (x->pdfa)
		buf_puts(
		    b,
		    "\n    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
	if (x->ua)
		buf_puts(
		    b,
		    "\n    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
	buf_puts(b, ">\n   <dc:format>application/pdf</dc:format>\n");
	put_alt(b, "dc:title", x->title, x->lang);
	if (x->author != NULL && *x->author != '\0') {
		buf_puts(b, "   <dc:creator><rdf:Seq><rdf:li>");
		put_text(b, x->author);
		buf_puts(b, "</rdf:li></rdf:Seq></dc:creator>\n");
	}
	put_alt(b, "dc:description", x->subject, x->lang);
	put_simple(b, "xmp:CreateDate", x->date);
	put_simple(b, "xmp:ModifyDate", x->date);
	put_simple(b, "xmp:MetadataDate", x->date);
	put_simple(b, "xmp:CreatorTool", x->tool);
	put_simple(b, "pdf:Producer", x->producer);
	put_simple(b, "pdf:Keywords", x->keywords);
	if (x->pdfa) {
		buf_puts(b, "   <pdfaid:part>2</pdfaid:part>\n"
		            "   <pdfaid:conformance>B</pdfaid:conformance>\n");
	}
	if (x->ua)
		buf_puts(b, "   <pdfuaid:part>1</pdfuaid:part>\n");
	buf_puts(b, "  </rdf:Description>\n"
	            " </rdf:RDF>\n"
	            "</x:xmpmeta>\n"
	            "<?xpacket end=\"w\"?>");
}
