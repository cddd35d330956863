/*
 * sodium_init() asks each primitive with several implementations to pick the
 * fastest for the CPU. Core uses none of these four (only Ed25519, SHA-2 and
 * BLAKE2b), and wasm has a single implementation of each anyway, so picking is
 * a no-op. Defining the hooks here keeps Poly1305, ChaCha20, Salsa20 and
 * Argon2 out of the wasm module.
 */
int _crypto_onetimeauth_poly1305_pick_best_implementation(void) { return 0; }
int _crypto_pwhash_argon2_pick_best_implementation(void) { return 0; }
int _crypto_stream_chacha20_pick_best_implementation(void) { return 0; }
int _crypto_stream_salsa20_pick_best_implementation(void) { return 0; }
