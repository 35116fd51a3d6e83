import ArgumentParser
import Inference

/// `goldengrain model encrypt`: AES-256-GCM-encrypts a model file (docs/formats.md, "## Encrypted model file").
struct ModelEncrypt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encrypt",
        abstract: "Encrypt a model file with AES-256-GCM (GGE1 layout, random nonce)."
    )

    @Argument(help: "The plaintext model file.")
    var model: String
    @Option(help: "The 32-byte key as hex.")
    var key: String?
    @Option(help: "A file holding the 32-byte key as hex.")
    var keyFile: String?
    @Option(help: "Where to write the encrypted file.")
    var out: String

    func run() throws {
        let keyBytes = try ModelFiles.key(hex: key, file: keyFile)
        try ModelFiles.write(EncryptedModel.seal(ModelFiles.read(model), key: keyBytes), to: out)
        print("wrote \(out)")
    }
}

/// `goldengrain model decrypt`: checks and decrypts a GGE1 file.
struct ModelDecrypt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt",
        abstract: "Decrypt a GGE1 encrypted model file (fails without output if the tag does not verify)."
    )

    @Argument(help: "The encrypted model file.")
    var encrypted: String
    @Option(help: "The 32-byte key as hex.")
    var key: String?
    @Option(help: "A file holding the 32-byte key as hex.")
    var keyFile: String?
    @Option(help: "Where to write the model file.")
    var out: String

    func run() throws {
        let keyBytes = try ModelFiles.key(hex: key, file: keyFile)
        try ModelFiles.write(EncryptedModel.open(ModelFiles.read(encrypted), key: keyBytes), to: out)
        print("wrote \(out)")
    }
}
