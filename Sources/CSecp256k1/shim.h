#ifndef GOLDENGRAIN_CSECP256K1_SHIM_H
#define GOLDENGRAIN_CSECP256K1_SHIM_H
// libsecp256k1 from Debian's libsecp256k1-dev (0.2): core, recovery and ECDH modules.
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <secp256k1_ecdh.h>
#endif
