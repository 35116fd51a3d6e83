/// OSSL_PARAM key names with static, NUL-terminated storage.
///
/// An `OSSL_PARAM` keeps the key *pointer*, not a copy. Swift bridges a `String` argument to a
/// temporary C string that dies when the construct call returns, so the names from
/// core_names.h (imported as Swift strings) must not be passed directly; these literals live
/// for the whole process.
enum OpenSSLParameterKey {
    /// OSSL_KDF_PARAM_DIGEST.
    static let digest: StaticString = "digest"
    /// OSSL_KDF_PARAM_KEY.
    static let key: StaticString = "key"
    /// OSSL_KDF_PARAM_SALT.
    static let salt: StaticString = "salt"
    /// OSSL_KDF_PARAM_INFO.
    static let info: StaticString = "info"
    /// OSSL_PKEY_PARAM_GROUP_NAME.
    static let groupName: StaticString = "group"
    /// OSSL_PKEY_PARAM_PUB_KEY.
    static let publicKey: StaticString = "pub"
}

extension StaticString {
    /// The literal as a C string pointer, valid for the life of the process.
    var cString: UnsafePointer<CChar> {
        UnsafeRawPointer(utf8Start).assumingMemoryBound(to: CChar.self)
    }
}
