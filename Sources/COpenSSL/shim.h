#ifndef GOLDENGRAIN_COPENSSL_SHIM_H
#define GOLDENGRAIN_COPENSSL_SHIM_H
// OpenSSL 3.0 from Debian's libssl-dev: hashes, HMAC/PBKDF2/HKDF, AES-GCM, EC (P-256), X.509, BIGNUM.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/ripemd.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/bn.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/rand.h>
#include <openssl/obj_mac.h>
#endif
