/* Objector, wasm build only: appended to libsodium's ed25519_ref10.c (see
 * cmake/sodium_wasm.cmake), replacing its stored Ed25519 base-point table
 * (base[i][j] = (j+1)*256^i*B: 30 KB of constants that do not compress)
 * with the same points computed on first use, about a millisecond once per
 * page. Each is normalized through its bytes, as the stored ones are, so
 * the arithmetic sees the same values (the native = wasm vectors prove the
 * signatures identical). The widget runs on one thread. */

static ge25519_precomp objector_base[32][8];
static int objector_base_ready;

static void
objector_normalize(fe25519 f)
{
    unsigned char s[32];

    fe25519_tobytes(s, f);
    fe25519_frombytes(f, s);
}

const ge25519_precomp (*objector_base_table(void))[8]
{
    static const unsigned char basepoint[32] = {
        0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66
    };
    ge25519_p3     p, q;
    ge25519_p1p1   r;
    ge25519_cached c;
    int            i, j, k;

    if (objector_base_ready) {
        return (const ge25519_precomp (*)[8]) objector_base;
    }
    ge25519_frombytes(&p, basepoint); /* p = 256^i * B */
    for (i = 0; i < 32; i++) {
        ge25519_p3_to_cached(&c, &p);
        q = p; /* q = (j+1) * p */
        for (j = 0; j < 8; j++) {
            ge25519_p3_to_precomp(&objector_base[i][j], &q);
            objector_normalize(objector_base[i][j].yplusx);
            objector_normalize(objector_base[i][j].yminusx);
            objector_normalize(objector_base[i][j].xy2d);
            ge25519_add(&r, &q, &c);
            ge25519_p1p1_to_p3(&q, &r);
        }
        for (k = 0; k < 8; k++) {
            ge25519_p3_dbl(&r, &p);
            ge25519_p1p1_to_p3(&p, &r);
        }
    }
    objector_base_ready = 1;
    return (const ge25519_precomp (*)[8]) objector_base;
}
