/* Base64 (RFC 4648, standard alphabet) for the benchmark's C helpers: tokgen writes tokens with
 * put_base64, tokgen -c and c_accept read them back with from_base64. */
#ifndef BENCH_B64_H
#define BENCH_B64_H
#include <stdio.h>
#include <string.h>

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* One line: the base64 of p[0..n) and a newline. */
static inline void put_base64(FILE *out, const unsigned char *p, size_t n)
{
    size_t i;
    for (i = 0; i + 2 < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        fputc(B64[v >> 18], out);
        fputc(B64[v >> 12 & 63], out);
        fputc(B64[v >> 6 & 63], out);
        fputc(B64[v & 63], out);
    }
    if (i < n) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
        fputc(B64[v >> 18], out);
        fputc(B64[v >> 12 & 63], out);
        fputc(i + 1 < n ? B64[v >> 6 & 63] : '=', out);
        fputc('=', out);
    }
    fputc('\n', out);
}

/* Decodes the base64 at s in place (the output never overtakes the input) up to the first byte
 * outside the alphabet ('=', newline, NUL); returns the decoded length. */
static inline size_t from_base64(char *s)
{
    unsigned char *out = (unsigned char *)s;
    size_t n = 0;
    unsigned v = 0;
    int bits = 0;
    for (; *s; s++) {
        const char *c = strchr(B64, *s);
        if (c == NULL)
            break;
        v = (v << 6 | (unsigned)(c - B64)) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(v >> bits);
        }
    }
    return n;
}
#endif
