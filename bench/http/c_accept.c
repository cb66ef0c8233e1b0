/* c_accept: the bare C floor for a Negotiate server's authentication cost.  A loop of
 * gss_accept_sec_context over pre-generated SPNEGO tokens (tokgen output), all threads sharing
 * ONE acceptor credential acquired once from the keytab, the library's replay cache as the
 * environment sets it (MIT: dfl in $KRB5RCACHEDIR).  No HTTP, no base64 in the timed loop (the
 * tokens are decoded first).
 *
 *   c_accept -k KEYTAB -f TOKENS [-d SECONDS] [-n MAX] [-t THREADS]
 *
 * Stops after MAX tokens (default: all in the file) or SECONDS (default 10), whichever comes
 * first.  Prints one JSON line: accepts/s, process CPU ms per accepted token (all threads; the
 * rusage of the whole process over the loop), how many accepts produced a mutual-auth reply
 * token, and failures (first failure's text on stderr). */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "b64.h"

struct token {
    size_t len;
    char *data;
};

static struct token *tokens;
static long ntokens;
static gss_cred_id_t cred;
static double deadline;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long next_token, ok, bad, mutual;
static int reported;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

static void report(const char *call, OM_uint32 major, OM_uint32 minor)
{
    OM_uint32 m, ctx = 0;
    gss_buffer_desc a, b;
    gss_display_status(&m, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &a);
    ctx = 0;
    gss_display_status(&m, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx, &b);
    fprintf(stderr, "c_accept: %s: %.*s: %.*s\n", call, (int)a.length, (char *)a.value,
            (int)b.length, (char *)b.value);
    gss_release_buffer(&m, &a);
    gss_release_buffer(&m, &b);
}

static void *loop(void *unused)
{
    (void)unused;
    long my_ok = 0, my_bad = 0, my_mutual = 0;
    for (;;) {
        pthread_mutex_lock(&lock);
        long i = next_token < ntokens ? next_token++ : -1;
        pthread_mutex_unlock(&lock);
        if (i < 0 || ((i & 63) == 0 && now() > deadline))
            break;
        OM_uint32 major, minor, flags = 0;
        gss_buffer_desc in = {tokens[i].len, tokens[i].data}, out = GSS_C_EMPTY_BUFFER;
        gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
        gss_name_t peer = GSS_C_NO_NAME;
        major = gss_accept_sec_context(&minor, &ctx, cred, &in, GSS_C_NO_CHANNEL_BINDINGS, &peer,
                                       NULL, &out, &flags, NULL, NULL);
        if (major == GSS_S_COMPLETE) {
            my_ok++;
            if (out.length > 0 && (flags & GSS_C_MUTUAL_FLAG))
                my_mutual++;
        } else {
            my_bad++;
            pthread_mutex_lock(&lock);
            if (!reported++)
                report("gss_accept_sec_context", major, minor);
            pthread_mutex_unlock(&lock);
        }
        gss_release_buffer(&minor, &out);
        gss_release_name(&minor, &peer);
        gss_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
    }
    pthread_mutex_lock(&lock);
    ok += my_ok;
    bad += my_bad;
    mutual += my_mutual;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void read_tokens(const char *path, long max)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    long cap = 1024;
    tokens = malloc(sizeof *tokens * (size_t)cap);
    char *line = NULL;
    size_t size = 0;
    while ((max < 0 || ntokens < max) && getline(&line, &size, f) > 0) {
        size_t len = from_base64(line);
        if (len == 0)
            continue;
        if (ntokens == cap) {
            cap *= 2;
            tokens = realloc(tokens, sizeof *tokens * (size_t)cap);
        }
        tokens[ntokens].len = len;
        tokens[ntokens].data = malloc(len);
        memcpy(tokens[ntokens].data, line, len);
        ntokens++;
    }
    free(line);
    fclose(f);
}

int main(int argc, char **argv)
{
    const char *keytab = NULL, *path = NULL;
    double seconds = 10;
    long max = -1;
    int threads = 1, opt;
    while ((opt = getopt(argc, argv, "k:f:d:n:t:")) != -1) {
        switch (opt) {
        case 'k': keytab = optarg; break;
        case 'f': path = optarg; break;
        case 'd': seconds = atof(optarg); break;
        case 'n': max = atol(optarg); break;
        case 't': threads = atoi(optarg) > 0 ? atoi(optarg) : 1; break;
        default: keytab = NULL; path = NULL; break;
        }
    }
    if (!keytab || !path) {
        fprintf(stderr, "usage: c_accept -k KEYTAB -f TOKENS [-d SECONDS] [-n MAX] [-t THREADS]\n");
        return 2;
    }
    read_tokens(path, max);

    /* the same acquisition as mod_auth_gssapi's "GssapiCredStore keytab:..." and gssapi-http's
     * Acceptor::builder().keytab(): every mechanism, no name, usage accept; done ONCE here */
    gss_key_value_element_desc elem = {"keytab", keytab};
    gss_key_value_set_desc store = {1, &elem};
    OM_uint32 major, minor;
    major = gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, GSS_C_NO_OID_SET,
                                  GSS_C_ACCEPT, &store, &cred, NULL, NULL);
    if (GSS_ERROR(major)) {
        report("gss_acquire_cred_from", major, minor);
        return 1;
    }

    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    double c0 = cpu_seconds(), t0 = now();
    deadline = t0 + seconds;
    for (int i = 0; i < threads; i++)
        pthread_create(&tids[i], NULL, loop, NULL);
    for (int i = 0; i < threads; i++)
        pthread_join(tids[i], NULL);
    double wall = now() - t0, cpu = cpu_seconds() - c0;

    printf("{\"server\": \"c-accept\", \"mode\": \"accept\", \"threads\": %d, \"tokens\": %ld, "
           "\"accepts\": %ld, \"ok\": %ld, \"failed\": %ld, \"mutual\": %ld, \"seconds\": %.3f, "
           "\"accepts_per_s\": %.1f, \"cpu_ms_per_accept\": %.4f, \"cores\": %.2f, "
           "\"exhausted\": %s}\n",
           threads, ntokens, ok + bad, ok, bad, mutual, wall, wall > 0 ? ok / wall : 0,
           ok ? cpu * 1e3 / (double)ok : 0, wall > 0 ? cpu / wall : 0,
           next_token >= ntokens && wall < seconds ? "true" : "false");
    gss_release_cred(&minor, &cred);
    return bad ? 1 : 0;
}
