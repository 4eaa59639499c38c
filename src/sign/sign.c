/*
 * Signatures with OpenSSL's CMS (RFC 5652) as PAdES baseline B-B asks:
 * a detached SignedData over the file's byte range, SHA-256, the signer's
 * certificate and its chain, and the signed attributes content type,
 * message digest and ESS signing-certificate-v2 (CMS_CADES).  Not
 * signing-time: PAdES gives the claimed time in the signature
 * dictionary's /M, and OpenSSL 3.0 adds that attribute whatever it is
 * told, so it is taken out again and the attributes signed anew.
 */
#include "sign.h"

#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/mem.h"
#include "../job.h"
#include "../page.h"

struct signer {
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF(X509) * chain; /* never NULL */
	int64_t when;
	size_t room;
};

static struct loc
at(const char *path)
{
	return (struct loc){path, 0, 0};
}

/* OpenSSL's last word on what went wrong, or "unknown". */
static const char *
ssl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;
	return r ? r : "unknown";
}

/* Reads path into a memory BIO; *data is the arena copy, for wiping. */
static BIO *
read_bio(struct job *job, const char *path, char **data, size_t *len)
{
	if (!fileio_read(job->arena, job->diag, NULL, path, data, len))
		return NULL;
	BIO *b = BIO_new_mem_buf(*data, (int)*len);
	if (b == NULL)
		mem_oom();
	return b;
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
read_key(struct job *job, const char *path)
{
	char *data;
	size_t len;
	BIO *b = read_bio(job, path, &data, &len);
	if (b == NULL)
		return NULL;
	struct stat st;
	if (stat(path, &st) == 0 && (st.st_mode & 077) != 0)
		diag_warning(job->diag, at(path),
		             "the private key can be read by other users (mode "
		             "%04o): anyone who reads it can sign as the desk; "
		             "chmod 600 it",
		             (unsigned)(st.st_mode & 07777));
	int asked = 0;
	EVP_PKEY *key = PEM_read_bio_PrivateKey(b, NULL, no_passphrase, &asked);
	BIO_free(b);
	OPENSSL_cleanse(data, len);
	if (key == NULL && asked)
		diag_error(job->diag, at(path),
		           "the private key is encrypted, and briefing asks "
		           "for no passphrase (it signs unattended): decrypt "
		           "it to a file only the signing account can read "
		           "(openssl pkey -in KEY -out PLAIN.pem)");
	else if (key == NULL)
		diag_error(job->diag, at(path),
		           "not a private key in PEM form (\"-----BEGIN "
		           "PRIVATE KEY-----\")");
	ERR_clear_error();
	return key;
}

/* Every certificate in the PEM file at path, in order; NULL when it
 * has none or cannot be read. */
static STACK_OF(X509) * read_certs(struct job *job, const char *path)
{
	char *data;
	size_t len;
	BIO *b = read_bio(job, path, &data, &len);
	if (b == NULL)
		return NULL;
	STACK_OF(X509) *certs = sk_X509_new_null();
	if (certs == NULL)
		mem_oom();
	for (X509 *x; (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL;)
		if (!sk_X509_push(certs, x))
			mem_oom();
	BIO_free(b);
	ERR_clear_error();
	if (sk_X509_num(certs) == 0) {
		diag_error(job->diag, at(path),
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

/* Whether cert may sign at the signing time and now, reported. */
static bool
check_cert(struct job *job, const char *path, X509 *cert, int64_t when)
{
	time_t signing = (time_t)when, now = time(NULL);
	char from[32], until[32], sig[32];
	asn1_date(X509_get0_notBefore(cert), from);
	asn1_date(X509_get0_notAfter(cert), until);
	unix_date(when, sig);
	bool ok = true;
	if (X509_cmp_time(X509_get0_notAfter(cert), &now) < 0) {
		diag_error(job->diag, at(path),
		           "the certificate expired on %s: renew it", until);
		ok = false;
	} else if (X509_cmp_time(X509_get0_notAfter(cert), &signing) < 0) {
		diag_error(job->diag, at(path),
		           "the certificate expired on %s, before the signing "
		           "time %s (SOURCE_DATE_EPOCH)",
		           until, sig);
		ok = false;
	}
	if (X509_cmp_time(X509_get0_notBefore(cert), &signing) > 0) {
		diag_error(job->diag, at(path),
		           "the certificate is valid only from %s, after the "
		           "signing time %s%s",
		           from, sig,
		           job->source_date >= 0 ? " (SOURCE_DATE_EPOCH)" : "");
		ok = false;
	}
	uint32_t usage = X509_get_key_usage(cert);
	if (usage != UINT32_MAX &&
	    !(usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
		diag_error(job->diag, at(path),
		           "the certificate may not sign documents: its key "
		           "usage has neither digitalSignature nor "
		           "nonRepudiation");
		ok = false;
	}
	return ok;
}

struct signer *
sign_open(struct job *job, const char *key_path, const char *cert_path,
          const char *chain_path, int64_t when)
{
	EVP_PKEY *key = read_key(job, key_path);
	STACK_OF(X509) *certs = read_certs(job, cert_path);
	STACK_OF(X509) *chain =
	    chain_path ? read_certs(job, chain_path) : sk_X509_new_null();
	X509 *cert = certs ? sk_X509_value(certs, 0) : NULL;
	bool ok = key != NULL && cert != NULL && chain != NULL;
	if (key != NULL && EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA &&
	    EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) {
		diag_error(job->diag, at(key_path),
		           "a %s key: briefing signs with RSA or ECDSA keys",
		           OBJ_nid2sn(EVP_PKEY_get_base_id(key)));
		ok = false;
	}
	/* A "full chain" file: the signer's certificate, then the chain. */
	while (ok && sk_X509_num(certs) > 1)
		if (!sk_X509_push(chain, sk_X509_delete(certs, 1)))
			mem_oom();
	if (ok && X509_check_private_key(cert, key) != 1) {
		diag_error(job->diag, at(key_path),
		           "the key does not belong to the certificate %s "
		           "(the certificate's public key is another)",
		           cert_path);
		ok = false;
	}
	ERR_clear_error();
	if (cert != NULL && !check_cert(job, cert_path, cert, when))
		ok = false;
	if (!ok) {
		EVP_PKEY_free(key);
		if (certs != NULL)
			sk_X509_pop_free(certs, X509_free);
		if (chain != NULL)
			sk_X509_pop_free(chain, X509_free);
		return NULL;
	}
	struct signer *s = mem_zalloc(1, sizeof *s);
	s->key = key;
	s->cert = cert;
	sk_X509_free(certs); /* the certificate is s->cert's now */
	s->chain = chain;
	s->when = when;
	/* The signature value, the certificates and room to spare for the
	 * SignedData's own fields and the signed attributes. */
	size_t room = 4096 + (size_t)EVP_PKEY_get_size(key) +
	              (size_t)i2d_X509(cert, NULL);
	for (int i = 0; i < sk_X509_num(chain); i++)
		room += (size_t)i2d_X509(sk_X509_value(chain, i), NULL);
	s->room = room;
	return s;
}

void
sign_close(struct signer *s)
{
	if (s == NULL)
		return;
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	sk_X509_pop_free(s->chain, X509_free);
	free(s);
}

int64_t
sign_when(const struct signer *s)
{
	return s->when;
}

size_t
sign_room(const struct signer *s)
{
	return s->room;
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
	if (attrs == NULL)
		mem_oom();
	for (int i = 0; i < CMS_signed_get_attr_count(si); i++)
		if (!sk_X509_ATTRIBUTE_push(attrs, CMS_signed_get_attr(si, i)))
			mem_oom();
	unsigned char *tbs = NULL, *sig = NULL;
	int n = ASN1_item_i2d((ASN1_VALUE *)attrs, &tbs,
	                      ASN1_ITEM_rptr(PKCS7_ATTR_SIGN));
	sk_X509_ATTRIBUTE_free(attrs); /* the attributes are si's */
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	size_t siglen = 0;
	bool ok = n > 0 && md != NULL &&
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

/* The file but the /Contents string, the part the signature covers. */
static BIO *
covered(const unsigned char *signed_bytes, size_t n)
{
	BIO *b = BIO_new_mem_buf(signed_bytes, (int)n);
	if (b == NULL)
		mem_oom();
	return b;
}

/* The detached SignedData over data[0..n), verified, as DER. */
static unsigned char *
make_cms(const struct signer *s, const unsigned char *data, size_t n,
         int *derlen)
{
	unsigned flags =
	    CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, s->chain, NULL, flags);
	CMS_SignerInfo *si =
	    cms ? CMS_add1_signer(cms, s->cert, s->key, EVP_sha256(),
	                          CMS_BINARY | CMS_NOSMIMECAP | CMS_CADES)
	        : NULL;
	BIO *in = covered(data, n);
	bool ok = si != NULL && CMS_final(cms, in, NULL, flags) == 1 &&
	          sign_without_time(si, s->key);
	BIO_free(in);
	/* Verified as a reader would, against the bytes it covers. */
	in = covered(data, n);
	ok = ok && CMS_verify(cms, NULL, NULL, in, NULL,
	                      CMS_DETACHED | CMS_BINARY |
	                          CMS_NO_SIGNER_CERT_VERIFY) == 1;
	BIO_free(in);
	unsigned char *der = NULL;
	*derlen = ok ? i2d_CMS_ContentInfo(cms, &der) : -1;
	CMS_ContentInfo_free(cms);
	return *derlen > 0 ? der : NULL;
}

bool
sign_fill(struct job *job, const struct signer *s, unsigned char *pdf,
          size_t len, size_t range, size_t contents)
{
	size_t hexlen = 2 * s->room + 2; /* with "<" and ">" */
	size_t after = contents + hexlen;
	if (after > len || range + PAGE_SIGN_RANGE_WIDTH > contents) {
		diag_system(job->diag, "cannot sign the PDF: its signature "
		                       "dictionary is not where it should be "
		                       "(a bug)");
		return false;
	}
	char nums[PAGE_SIGN_RANGE_WIDTH + 1];
	int w = snprintf(nums, sizeof nums, "0 %zu %zu %zu", contents, after,
	                 len - after);
	if (w < 0 || w > PAGE_SIGN_RANGE_WIDTH) {
		diag_system(job->diag, "cannot sign the PDF: it is too large");
		return false;
	}
	memset(pdf + range, ' ', PAGE_SIGN_RANGE_WIDTH);
	memcpy(pdf + range, nums, (size_t)w);
	/* The two parts side by side, for OpenSSL to read as one. */
	unsigned char *data = mem_alloc(len - hexlen, 1);
	memcpy(data, pdf, contents);
	memcpy(data + contents, pdf + after, len - after);
	int derlen;
	unsigned char *der = make_cms(s, data, len - hexlen, &derlen);
	free(data);
	if (der == NULL || (size_t)derlen > s->room) {
		diag_system(job->diag, "cannot sign the PDF: %s",
		            der ? "the signature is larger than the room kept "
		                  "for it (a bug)"
		                : ssl_reason());
		OPENSSL_free(der);
		ERR_clear_error();
		return false;
	}
	static const char hex[] = "0123456789ABCDEF";
	for (int i = 0; i < derlen; i++) {
		pdf[contents + 1 + 2 * (size_t)i] =
		    (unsigned char)hex[der[i] >> 4];
		pdf[contents + 2 + 2 * (size_t)i] =
		    (unsigned char)hex[der[i] & 15];
	}
	OPENSSL_free(der);
	return true;
}
