/*
 * The OpenSSL half of the signer, built as briefing-sign.so and loaded
 * by sign.c only when a build signs (sign_plugin.h).  It knows nothing
 * of the program: it is given the files' bytes and says what is wrong
 * through the callback it is given.
 *
 * Signatures with OpenSSL's CMS (RFC 5652) as PAdES baseline B-B asks:
 * a detached SignedData over the file's byte range, SHA-256, the signer's
 * certificate and its chain, and the signed attributes content type,
 * message digest and ESS signing-certificate-v2 (CMS_CADES).  Not
 * signing-time: PAdES gives the claimed time in the signature
 * dictionary's /M, and OpenSSL 3.0 adds that attribute whatever it is
 * told, so it is taken out again and the attributes signed anew.
 */
#include "sign_plugin.h"

#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct signer {
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF(X509) * chain; /* never NULL */
	size_t room;
};

/* A problem with file f, as printf would write it. */
static void say(const struct sign_input *in, enum sign_file f,
                const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
say(const struct sign_input *in, enum sign_file f, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	in->report(in->ctx, f, false, msg);
}

static BIO *
bio_of(const unsigned char *data, size_t len)
{
	return BIO_new_mem_buf(data, len > INT32_MAX ? INT32_MAX : (int)len);
}

/* The passphrase callback: none is given, but asking is remembered. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	*(int *)u = 1;
	return -1;
}

static EVP_PKEY *
read_key(const struct sign_input *in)
{
	BIO *b = bio_of(in->key, in->key_len);
	int asked = 0;
	EVP_PKEY *key =
	    b ? PEM_read_bio_PrivateKey(b, NULL, no_passphrase, &asked) : NULL;
	BIO_free(b);
	if (key == NULL && asked)
		say(in, SIGN_KEY,
		    "the private key is encrypted, and briefing asks for no "
		    "passphrase (it signs unattended): decrypt it to a file "
		    "only the signing account can read (openssl pkey -in KEY "
		    "-out PLAIN.pem)");
	else if (key == NULL)
		say(in, SIGN_KEY,
		    "not a private key in PEM form (\"-----BEGIN PRIVATE "
		    "KEY-----\")");
	ERR_clear_error();
	return key;
}

/* Every certificate in PEM data, in order; NULL when it has none. */
static STACK_OF(X509) * read_certs(const struct sign_input *in,
                                   enum sign_file f,
                                   const unsigned char *data, size_t len)
{
	BIO *b = bio_of(data, len);
	STACK_OF(X509) *certs = sk_X509_new_null();
	for (X509 *x; b != NULL && certs != NULL &&
	              (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL;)
		if (!sk_X509_push(certs, x))
			X509_free(x);
	BIO_free(b);
	ERR_clear_error();
	if (certs == NULL || sk_X509_num(certs) == 0) {
		say(in, f,
		    "no certificate in PEM form (\"-----BEGIN "
		    "CERTIFICATE-----\") in this file");
		sk_X509_free(certs);
		return NULL;
	}
	return certs;
}

/* t as "2025-03-19 00:00 UTC". */
static void
asn1_date(const ASN1_TIME *t, char out[32])
{
	struct tm tm;
	if (ASN1_TIME_to_tm(t, &tm) != 1 ||
	    strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(out, 32, "an unreadable date");
}

static void
unix_date(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(out, 32, "%lld", (long long)t);
}

/* Whether cert may sign at the signing time and now, said if not. */
static bool
check_cert(const struct sign_input *in, X509 *cert)
{
	time_t signing = (time_t)in->when, now = (time_t)in->now;
	char from[32], until[32], sig[32];
	asn1_date(X509_get0_notBefore(cert), from);
	asn1_date(X509_get0_notAfter(cert), until);
	unix_date(in->when, sig);
	bool ok = true;
	if (X509_cmp_time(X509_get0_notAfter(cert), &now) < 0) {
		say(in, SIGN_CERT, "the certificate expired on %s: renew it",
		    until);
		ok = false;
	} else if (X509_cmp_time(X509_get0_notAfter(cert), &signing) < 0) {
		say(in, SIGN_CERT,
		    "the certificate expired on %s, before the signing time "
		    "%s (SOURCE_DATE_EPOCH)",
		    until, sig);
		ok = false;
	}
	if (X509_cmp_time(X509_get0_notBefore(cert), &signing) > 0) {
		say(in, SIGN_CERT,
		    "the certificate is valid only from %s, after the signing "
		    "time %s%s",
		    from, sig, in->from_epoch ? " (SOURCE_DATE_EPOCH)" : "");
		ok = false;
	}
	uint32_t usage = X509_get_key_usage(cert);
	if (usage != UINT32_MAX &&
	    !(usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
		say(in, SIGN_CERT,
		    "the certificate may not sign documents: its key usage "
		    "has neither digitalSignature nor nonRepudiation");
		ok = false;
	}
	return ok;
}

static void *
open_signer(const struct sign_input *in)
{
	EVP_PKEY *key = read_key(in);
	STACK_OF(X509) *certs = read_certs(in, SIGN_CERT, in->cert, in->cert_len);
	STACK_OF(X509) *chain =
	    in->chain ? read_certs(in, SIGN_CHAIN, in->chain, in->chain_len)
	              : sk_X509_new_null();
	X509 *cert = certs ? sk_X509_value(certs, 0) : NULL;
	bool ok = key != NULL && cert != NULL && chain != NULL;
	if (key != NULL && EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA &&
	    EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) {
		say(in, SIGN_KEY, "a %s key: briefing signs with RSA or ECDSA keys",
		    OBJ_nid2sn(EVP_PKEY_get_base_id(key)));
		ok = false;
	}
	/* A "full chain" file: the signer's certificate, then the chain. */
	while (ok && sk_X509_num(certs) > 1)
		if (!sk_X509_push(chain, sk_X509_delete(certs, 1)))
			ok = false;
	if (ok && X509_check_private_key(cert, key) != 1) {
		say(in, SIGN_KEY,
		    "the key does not belong to the certificate %s (the "
		    "certificate's public key is another)",
		    in->cert_path);
		ok = false;
	}
	ERR_clear_error();
	if (cert != NULL && !check_cert(in, cert))
		ok = false;
	struct signer *s = ok ? calloc(1, sizeof *s) : NULL;
	if (s == NULL) {
		EVP_PKEY_free(key);
		if (certs != NULL)
			sk_X509_pop_free(certs, X509_free);
		if (chain != NULL)
			sk_X509_pop_free(chain, X509_free);
		return NULL;
	}
	s->key = key;
	s->cert = cert;
	sk_X509_free(certs); /* the certificate is s->cert's now */
	s->chain = chain;
	/* The signature value, the certificates and room to spare for the
	 * SignedData's own fields and the signed attributes. */
	size_t room = 4096 + (size_t)EVP_PKEY_get_size(key) +
	              (size_t)i2d_X509(cert, NULL);
	for (int i = 0; i < sk_X509_num(chain); i++)
		room += (size_t)i2d_X509(sk_X509_value(chain, i), NULL);
	s->room = room;
	return s;
}

static void
close_signer(void *p)
{
	struct signer *s = p;
	if (s == NULL)
		return;
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	sk_X509_pop_free(s->chain, X509_free);
	free(s);
}

static size_t
room_of(const void *p)
{
	return ((const struct signer *)p)->room;
}

/*
 * Takes out the signing-time attribute and signs the attributes left:
 * their DER as a SET OF in DER order (PKCS7_ATTR_SIGN, the encoding a
 * signature covers), SHA-256 with the signer's key.
 */
static bool
sign_without_time(CMS_SignerInfo *si, EVP_PKEY *key)
{
	int loc = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	if (loc >= 0)
		X509_ATTRIBUTE_free(CMS_signed_delete_attr(si, loc));
	STACK_OF(X509_ATTRIBUTE) *attrs = sk_X509_ATTRIBUTE_new_null();
	bool ok = attrs != NULL;
	for (int i = 0; ok && i < CMS_signed_get_attr_count(si); i++)
		ok = sk_X509_ATTRIBUTE_push(attrs, CMS_signed_get_attr(si, i)) > 0;
	unsigned char *tbs = NULL, *sig = NULL;
	int n = ok ? ASN1_item_i2d((ASN1_VALUE *)attrs, &tbs,
	                           ASN1_ITEM_rptr(PKCS7_ATTR_SIGN))
	           : -1;
	sk_X509_ATTRIBUTE_free(attrs); /* the attributes are si's */
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	size_t siglen = 0;
	ok = n > 0 && md != NULL &&
	     EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
	     EVP_DigestSign(md, NULL, &siglen, tbs, (size_t)n) == 1 &&
	     (sig = OPENSSL_malloc(siglen)) != NULL &&
	     EVP_DigestSign(md, sig, &siglen, tbs, (size_t)n) == 1 &&
	     ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig,
	                     (int)siglen) == 1;
	EVP_MD_CTX_free(md);
	OPENSSL_free(tbs);
	OPENSSL_free(sig);
	return ok;
}

/* The detached SignedData over data[0..n), verified, as DER. */
static unsigned char *
make_cms(const struct signer *s, const unsigned char *data, size_t n,
         int *derlen)
{
	unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL |
	                 CMS_NOSMIMECAP;
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, s->chain, NULL, flags);
	CMS_SignerInfo *si =
	    cms ? CMS_add1_signer(cms, s->cert, s->key, EVP_sha256(),
	                          CMS_BINARY | CMS_NOSMIMECAP | CMS_CADES)
	        : NULL;
	BIO *in = bio_of(data, n);
	bool ok = si != NULL && in != NULL &&
	          CMS_final(cms, in, NULL, flags) == 1 &&
	          sign_without_time(si, s->key);
	BIO_free(in);
	/* Verified as a reader would, against the bytes it covers. */
	in = bio_of(data, n);
	ok = ok && in != NULL &&
	     CMS_verify(cms, NULL, NULL, in, NULL,
	                CMS_DETACHED | CMS_BINARY |
	                    CMS_NO_SIGNER_CERT_VERIFY) == 1;
	BIO_free(in);
	unsigned char *der = NULL;
	*derlen = ok ? i2d_CMS_ContentInfo(cms, &der) : -1;
	CMS_ContentInfo_free(cms);
	return *derlen > 0 ? der : NULL;
}

/* OpenSSL's last word on what went wrong, or a guess. */
static const char *
ssl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;
	return r ? r : "OpenSSL could not make the signature";
}

static const char *
fill(const void *p, unsigned char *pdf, size_t len, size_t range,
     size_t width, size_t contents)
{
	const struct signer *s = p;
	size_t hexlen = 2 * s->room + 2; /* with "<" and ">" */
	size_t after = contents + hexlen;
	if (after > len || range + width > contents || width > 64)
		return "its signature dictionary is not where it should be "
		       "(a bug)";
	char nums[65];
	int w = snprintf(nums, sizeof nums, "0 %zu %zu %zu", contents, after,
	                 len - after);
	if (w < 0 || (size_t)w > width)
		return "it is too large";
	memset(pdf + range, ' ', width);
	memcpy(pdf + range, nums, (size_t)w);
	/* The two parts side by side, for OpenSSL to read as one. */
	unsigned char *data = malloc(len - hexlen);
	if (data == NULL)
		return "out of memory";
	memcpy(data, pdf, contents);
	memcpy(data + contents, pdf + after, len - after);
	int derlen;
	unsigned char *der = make_cms(s, data, len - hexlen, &derlen);
	free(data);
	const char *why = der == NULL ? ssl_reason()
	                  : (size_t)derlen > s->room
	                      ? "the signature is larger than the room kept "
	                        "for it (a bug)"
	                      : NULL;
	static const char hex[] = "0123456789ABCDEF";
	for (int i = 0; why == NULL && i < derlen; i++) {
		pdf[contents + 1 + 2 * (size_t)i] = (unsigned char)hex[der[i] >> 4];
		pdf[contents + 2 + 2 * (size_t)i] =
		    (unsigned char)hex[der[i] & 15];
	}
	OPENSSL_free(der);
	ERR_clear_error();
	return why;
}

/* The one symbol the plugin exports. */
const struct sign_plugin *briefing_sign_plugin(void)
    __attribute__((visibility("default")));

const struct sign_plugin *
briefing_sign_plugin(void)
{
	static const struct sign_plugin plugin = {
	    SIGN_PLUGIN_VERSION, open_signer, close_signer, room_of, fill};
	return &plugin;
}
