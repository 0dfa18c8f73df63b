// Secrets the app must read back (refresh tokens, webhook signing secrets) are stored only encrypted. `context`
// binds a ciphertext to its row (e.g. the delegated admin id), so a secret copied onto another row does not decrypt.
export abstract class SecretCipher {
  abstract encrypt(plaintext: string, context: string): string;
  abstract decrypt(ciphertext: string, context: string): string;
}
