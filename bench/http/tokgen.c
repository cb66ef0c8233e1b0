/* tokgen: SPNEGO initiator tokens for the Negotiate benchmark (MIT GSSAPI).
 *
 *   tokgen -n COUNT [-s SERVICE] [-o FILE]   COUNT fresh tokens, one base64 line each
 *   tokgen -c [-s SERVICE]                   check mode: print one token, read the server's
 *                                            base64 reply token from stdin, exit 0 when it
 *                                            completes the context (mutual authentication)
 *
 * SERVICE is a host-based name (default HTTP@localhost).  Every token comes from a new security
 * context, so it carries a new authenticator (new timestamp, sequence number and subkey): an
 * acceptor with a replay cache accepts each exactly once.  The mutual flag is requested, as curl
 * --negotiate does.  The initiator credential (from $KRB5CCNAME) is acquired once; the service
 * ticket is fetched on the first token and then comes from the ccache.  Rate on stderr. */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "b64.h"

static gss_OID_desc spnego = {6, (void *)"\x2b\x06\x01\x05\x05\x02"};

static void fail(const char *call, OM_uint32 major, OM_uint32 minor)
{
    OM_uint32 m, ctx = 0;
    gss_buffer_desc text;
    fprintf(stderr, "tokgen: %s failed:", call);
    do {
        gss_display_status(&m, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &text);
        fprintf(stderr, " %.*s;", (int)text.length, (char *)text.value);
        gss_release_buffer(&m, &text);
    } while (ctx);
    do {
        gss_display_status(&m, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx, &text);
        fprintf(stderr, " %.*s", (int)text.length, (char *)text.value);
        gss_release_buffer(&m, &text);
    } while (ctx);
    fputc('\n', stderr);
    exit(1);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long count = -1;
    int check = 0, opt;
    const char *service = "HTTP@localhost", *path = NULL;
    while ((opt = getopt(argc, argv, "n:s:o:c")) != -1) {
        switch (opt) {
        case 'n': count = atol(optarg); break;
        case 's': service = optarg; break;
        case 'o': path = optarg; break;
        case 'c': check = 1; break;
        default:
            fprintf(stderr, "usage: tokgen -n COUNT [-s SERVICE] [-o FILE] | tokgen -c [-s SERVICE]\n");
            return 2;
        }
    }
    if (!check && count < 0) {
        fprintf(stderr, "tokgen: -n COUNT or -c is required\n");
        return 2;
    }

    OM_uint32 major, minor;
    gss_buffer_desc name_buf = {strlen(service), (void *)service};
    gss_name_t target;
    major = gss_import_name(&minor, &name_buf, GSS_C_NT_HOSTBASED_SERVICE, &target);
    if (GSS_ERROR(major))
        fail("gss_import_name", major, minor);
    gss_OID_set_desc mechs = {1, &spnego};
    gss_cred_id_t cred;
    major = gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE,
                             &cred, NULL, NULL);
    if (GSS_ERROR(major))
        fail("gss_acquire_cred", major, minor);

    if (check) {
        gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
        gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
        major = gss_init_sec_context(&minor, cred, &ctx, target, &spnego, GSS_C_MUTUAL_FLAG, 0,
                                     GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &out,
                                     NULL, NULL);
        if (GSS_ERROR(major))
            fail("gss_init_sec_context", major, minor);
        put_base64(stdout, out.value, out.length);
        fflush(stdout);
        gss_release_buffer(&minor, &out);
        static char line[65536];
        if (!fgets(line, sizeof line, stdin)) {
            fprintf(stderr, "tokgen: no reply token on stdin\n");
            return 1;
        }
        gss_buffer_desc in = {from_base64(line), line};
        if (in.length == 0) {
            fprintf(stderr, "tokgen: empty reply token\n");
            return 1;
        }
        OM_uint32 flags = 0;
        major = gss_init_sec_context(&minor, cred, &ctx, target, &spnego, GSS_C_MUTUAL_FLAG, 0,
                                     GSS_C_NO_CHANNEL_BINDINGS, &in, NULL, &out, &flags, NULL);
        if (GSS_ERROR(major))
            fail("gss_init_sec_context (reply token)", major, minor);
        if (major != GSS_S_COMPLETE) {
            fprintf(stderr, "tokgen: context not complete after the reply token\n");
            return 1;
        }
        printf("mutual %s\n", flags & GSS_C_MUTUAL_FLAG ? "yes" : "no");
        gss_release_buffer(&minor, &out);
        gss_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
        return flags & GSS_C_MUTUAL_FLAG ? 0 : 1;
    }

    FILE *out = path ? fopen(path, "w") : stdout;
    if (!out) {
        perror(path);
        return 1;
    }
    double t0 = now();
    for (long i = 0; i < count; i++) {
        gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
        gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
        major = gss_init_sec_context(&minor, cred, &ctx, target, &spnego, GSS_C_MUTUAL_FLAG, 0,
                                     GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &tok,
                                     NULL, NULL);
        if (GSS_ERROR(major))
            fail("gss_init_sec_context", major, minor);
        put_base64(out, tok.value, tok.length);
        gss_release_buffer(&minor, &tok);
        gss_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
    }
    if (fclose(out) != 0) {
        perror(path ? path : "stdout");
        return 1;
    }
    double dt = now() - t0;
    fprintf(stderr, "tokgen: %ld tokens in %.2f s (%.0f/s)\n", count, dt, dt > 0 ? count / dt : 0);
    gss_release_cred(&minor, &cred);
    gss_release_name(&minor, &target);
    return 0;
}
