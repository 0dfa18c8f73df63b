// Refresh tokens are stored only encrypted. `context` binds a ciphertext to its row (the delegated admin id),
// so a token copied onto another row does not decrypt.
export abstract class TokenCipher {
  abstract encrypt(plaintext: string, context: string): string;
  abstract decrypt(ciphertext: string, context: string): string;
}
