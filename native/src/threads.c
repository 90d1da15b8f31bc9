/*
 * A fixed pool of worker threads for the three dense products (the __mt entry points).
 *
 * et_threads_init(n) creates n − 1 workers once; the calling thread of each product is the n-th. A product splits its
 * OUTPUT into at most n parts cut on tile boundaries: forward, rows of W (or of X when `out` is too narrow); input
 * grad, rows of dX (or its columns when the batch is too small, e.g. batch 1); weight grad, rows of dW. Each output
 * value is then computed by one thread with exactly the instructions of the single-threaded kernel, so the results are
 * bit-identical for any thread count.
 *
 * Hand-off without allocation: the job lives in the pool; the caller publishes it by bumping a generation counter.
 * The job is cut into chunks (about four per thread) that every participant, the caller included, claims one at a time
 * from an atomic word holding (generation, chunks, next). The caller never waits for a worker that has not claimed
 * anything: a worker descheduled by the OS (sensor threads, the JIT, another process) costs at most the one chunk it
 * holds, instead of stalling every product (measured on a 2-vCPU VM: with a fixed split, 784-256-128-10 training fell
 * to 0.6x single-threaded whenever the worker was preempted; with claiming it stays above single-threaded).
 * After each job a worker watches the generation, spinning with pause for ET_SPIN_NS (100 µs, longer than the gaps
 * between the products of one training step), then blocks on a condition variable: back-to-back kernels hand off in
 * about a quarter of a microsecond, and a daemon stepping at a sensor's pace leaves its workers asleep, not burning CPU.
 * The spin was 2 ms (50 µs of pause, then sched_yield) until issue 16: at 100 steps a second that kept a worker busy a
 * fifth of the time while the daemon waited for its sensor; a worker asleep at the next job costs only the time
 * until it is woken, since the caller claims chunks meanwhile (the bench at batch 32 on two threads, README).
 *
 * Concurrency: one product at a time owns the pool (trylock); a concurrent call from another thread runs
 * single-threaded instead of waiting. Workers block every signal so the JVM's signals go to its own threads.
 */
#define _GNU_SOURCE
#include "glibc_compat.h"
#include "edgetrain_kernels.h"
#include "kernels_internal.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#define ET_MAX_THREADS 64
#ifndef ET_SPIN_NS
#define ET_SPIN_NS 100000L /* how long an idle worker spins before it sleeps */
#endif
#define ET_PAUSE_NS 50000L /* the caller waiting for running chunks spins with pause this long, then with sched_yield */

typedef struct {
    int kind; /* 0 forward, 1 input grad, 2 weight grad */
    const float *a, *b, *bias;
    float *out;
    int batch, in, outs;
    int split_batch; /* forward only: split rows of X instead of rows of W */
    int split_cols;  /* input grad only: split columns of dX instead of rows (a batch too small to share out) */
    int accumulate;  /* weight grad only */
    int units, unit; /* the split: `units` tiles of `unit` rows, cut into `parts` chunks */
    int parts;
} et_job;

/* The claim word: generation (24 bits) | chunks (20 bits) | next chunk (20 bits). A claim succeeds only for the current
 * generation and while next < chunks, so a late worker can never run a chunk of another job. */
#define ET_CLAIM(gen, chunks, next) (((uint64_t)((gen) & 0xFFFFFF) << 40) | ((uint64_t)(chunks) << 20) | (uint64_t)(next))
#define ET_CLAIM_GEN(w) ((unsigned)((w) >> 40))
#define ET_CLAIM_CHUNKS(w) ((int)(((w) >> 20) & 0xFFFFF))
#define ET_CLAIM_NEXT(w) ((int)((w) & 0xFFFFF))
#define ET_MAX_CHUNKS 0xFFFFF

static struct {
    pthread_mutex_t busy; /* owned by the product (or init/shutdown) using the pool */
    pthread_mutex_t sleep_lock;
    pthread_cond_t wake;
    atomic_uint generation; /* bumped once per job, and once at shutdown */
    _Atomic uint64_t claim; /* see ET_CLAIM */
    atomic_int finished;    /* chunks finished in the current job */
    atomic_int sleepers;
    atomic_int stop;
    unsigned start_generation; /* the generation when the current workers were created */
    int threads; /* workers + 1 */
    pthread_t workers[ET_MAX_THREADS];
    et_job jobs[2]; /* by generation parity: a job's slot is rewritten only two jobs later, after it completed */
} pool = {
    .busy = PTHREAD_MUTEX_INITIALIZER,
    .sleep_lock = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
    .threads = 1,
};

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield" ::: "memory");
#endif
}

/* Part `part` of `parts` of the job: its share of the tiles, as rows. */
static void run_part(const et_job *j, int part) {
    int u0 = (int)((long)j->units * part / j->parts), u1 = (int)((long)j->units * (part + 1) / j->parts);
    int r0 = u0 * j->unit, r1 = u1 * j->unit;
    switch (j->kind) {
    case 0:
        if (j->split_batch) {
            if (r1 > j->batch) r1 = j->batch;
            et_dense_forward_rows__neon(j->a, j->b, j->bias, j->out, j->batch, j->in, j->outs, r0, r1, 0, j->outs);
        } else {
            if (r1 > j->outs) r1 = j->outs;
            et_dense_forward_rows__neon(j->a, j->b, j->bias, j->out, j->batch, j->in, j->outs, 0, j->batch, r0, r1);
        }
        break;
    case 1:
        if (j->split_cols) {
            if (r1 > j->in) r1 = j->in;
            et_dense_input_grad_rows__neon(j->a, j->b, j->out, j->in, j->outs, 0, j->batch, r0, r1);
        } else {
            if (r1 > j->batch) r1 = j->batch;
            et_dense_input_grad_rows__neon(j->a, j->b, j->out, j->in, j->outs, r0, r1, 0, j->in);
        }
        break;
    default:
        if (r1 > j->outs) r1 = j->outs;
        et_dense_weight_grad_rows__neon(j->a, j->b, j->out, j->batch, j->in, j->outs, r0, r1, j->accumulate);
        break;
    }
}

/* Returns the generation that differs from `seen`, after spinning up to ET_SPIN_NS, then sleeping until there is one. */
static unsigned wait_for_job(unsigned seen) {
    unsigned g;
    long start = now_ns();
    for (unsigned spins = 0;; spins++) {
        g = atomic_load_explicit(&pool.generation, memory_order_acquire);
        if (g != seen) return g;
        if ((spins & 63) == 63 && now_ns() - start > ET_SPIN_NS) break;
        cpu_relax();
    }
    pthread_mutex_lock(&pool.sleep_lock);
    atomic_fetch_add(&pool.sleepers, 1);
    while ((g = atomic_load(&pool.generation)) == seen) pthread_cond_wait(&pool.wake, &pool.sleep_lock);
    atomic_fetch_sub(&pool.sleepers, 1);
    pthread_mutex_unlock(&pool.sleep_lock);
    return g;
}

/* Claims and runs chunks of job `gen` until none is left; returns how many it ran. */
static int take_part(unsigned gen) {
    int ran = 0;
    for (;;) {
        uint64_t w = atomic_load_explicit(&pool.claim, memory_order_acquire);
        if (ET_CLAIM_GEN(w) != (gen & 0xFFFFFF) || ET_CLAIM_NEXT(w) >= ET_CLAIM_CHUNKS(w)) return ran;
        if (!atomic_compare_exchange_weak_explicit(&pool.claim, &w, w + 1, memory_order_acq_rel, memory_order_relaxed)) continue;
        run_part(&pool.jobs[gen & 1], ET_CLAIM_NEXT(w)); /* the job cannot complete, so its slot is stable, until we finish */
        atomic_fetch_add_explicit(&pool.finished, 1, memory_order_release);
        ran++;
    }
}

static void *worker_main(void *arg) {
    (void)arg;
    unsigned seen = pool.start_generation;
    for (;;) {
        seen = wait_for_job(seen);
        if (atomic_load_explicit(&pool.stop, memory_order_acquire)) break;
        take_part(seen);
    }
    return NULL;
}

/* Called with `busy` held. */
static void stop_workers(void) {
    int workers = pool.threads - 1;
    if (workers <= 0) return;
    atomic_store(&pool.stop, 1);
    atomic_fetch_add(&pool.generation, 1); /* seq_cst, after `stop` */
    pthread_mutex_lock(&pool.sleep_lock);
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.sleep_lock);
    for (int k = 1; k <= workers; k++) pthread_join(pool.workers[k], NULL);
    atomic_store(&pool.stop, 0);
    pool.threads = 1;
}

int et_threads_init(int threads) {
    if (threads < 1) threads = 1;
    if (threads > ET_MAX_THREADS) threads = ET_MAX_THREADS;
    pthread_mutex_lock(&pool.busy);
    if (threads != pool.threads) {
        stop_workers();
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old); /* workers inherit a mask that blocks every signal */
        pool.start_generation = atomic_load(&pool.generation); /* fixed while we hold `busy` */
        int created = 1;
        for (int k = 1; k < threads; k++) {
            if (pthread_create(&pool.workers[k], NULL, worker_main, (void *)(long)k) != 0) break;
            created++;
        }
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        pool.threads = created;
    }
    int result = pool.threads;
    pthread_mutex_unlock(&pool.busy);
    return result;
}

void et_threads_shutdown(void) {
    pthread_mutex_lock(&pool.busy);
    stop_workers();
    pthread_mutex_unlock(&pool.busy);
}

/* Runs the job in pool.jobs[next generation's parity] (units and unit set) with whichever threads join; `busy` is held. */
static void run_job(et_job *j) {
    int chunks = pool.threads * 4;
    if (chunks > j->units) chunks = j->units;
    if (chunks > ET_MAX_CHUNKS) chunks = ET_MAX_CHUNKS;
    j->parts = chunks;
    if (pool.threads <= 1 || chunks <= 1) {
        j->parts = 1;
        run_part(j, 0);
        return;
    }
    unsigned gen = atomic_load(&pool.generation) + 1;
    atomic_store_explicit(&pool.finished, 0, memory_order_relaxed);
    atomic_store_explicit(&pool.claim, ET_CLAIM(gen, chunks, 0), memory_order_release);
    atomic_fetch_add(&pool.generation, 1); /* seq_cst: publishes the job, ordered before reading `sleepers` */
    if (atomic_load(&pool.sleepers) > 0) {
        pthread_mutex_lock(&pool.sleep_lock);
        pthread_cond_broadcast(&pool.wake);
        pthread_mutex_unlock(&pool.sleep_lock);
    }
    take_part(gen);
    /* every chunk is claimed now; wait only for chunks still running on a worker */
    long start = 0;
    for (unsigned spins = 0; atomic_load_explicit(&pool.finished, memory_order_acquire) < chunks; spins++) {
        if ((spins & 63) == 63) {
            if (start == 0) start = now_ns();
            else if (now_ns() - start > ET_PAUSE_NS) sched_yield();
        }
        cpu_relax();
    }
}

/* The slot the next job goes into. */
static et_job *next_job(void) {
    return &pool.jobs[(atomic_load(&pool.generation) + 1) & 1];
}

static int ceil_div(int a, int b) {
    return (a + b - 1) / b;
}

void et_f32_dense_forward__mt(const float *x, const float *w, const float *b, float *y, int batch, int in, int out) {
    if (batch <= 0 || out <= 0 || pthread_mutex_trylock(&pool.busy) != 0) {
        et_f32_dense_forward__neon(x, w, b, y, batch, in, out);
        return;
    }
    et_job *j = next_job();
    *j = (et_job){.kind = 0, .a = x, .b = w, .bias = b, .out = y, .batch = batch, .in = in, .outs = out};
    int out_units = ceil_div(out, ET_FWD_NR), batch_units = ceil_div(batch, ET_FWD_MR);
    // rows of W (each thread reads its own part of W) unless `out` is too narrow to keep every thread busy
    j->split_batch = out_units < pool.threads && batch_units > out_units;
    j->unit = j->split_batch ? ET_FWD_MR : ET_FWD_NR;
    j->units = j->split_batch ? batch_units : out_units;
    run_job(j);
    pthread_mutex_unlock(&pool.busy);
}

void et_f32_dense_input_grad__mt(const float *dy, const float *w, float *dx, int batch, int in, int out) {
    if (batch <= 0 || in <= 0 || pthread_mutex_trylock(&pool.busy) != 0) {
        et_f32_dense_input_grad__neon(dy, w, dx, batch, in, out);
        return;
    }
    et_job *j = next_job();
    *j = (et_job){.kind = 1, .a = dy, .b = w, .out = dx, .batch = batch, .in = in, .outs = out};
    int row_units = ceil_div(batch, ET_DX_MR), col_units = ceil_div(in, 16);
    // rows of dX; columns (16 at a time) when the batch has fewer row tiles than threads, e.g. batch 1
    j->split_cols = row_units < pool.threads && col_units > row_units;
    j->unit = j->split_cols ? 16 : ET_DX_MR;
    j->units = j->split_cols ? col_units : row_units;
    run_job(j);
    pthread_mutex_unlock(&pool.busy);
}

void et_f32_dense_weight_grad__mt(const float *dy, const float *x, float *dw, int batch, int in, int out, int accumulate) {
    if (out <= 0 || in <= 0 || pthread_mutex_trylock(&pool.busy) != 0) {
        et_f32_dense_weight_grad__neon(dy, x, dw, batch, in, out, accumulate);
        return;
    }
    et_job *j = next_job();
    *j = (et_job){.kind = 2, .a = dy, .b = x, .out = dw, .batch = batch, .in = in, .outs = out, .accumulate = accumulate};
    j->unit = ET_DW_MR;
    j->units = ceil_div(out, ET_DW_MR);
    run_job(j);
    pthread_mutex_unlock(&pool.busy);
}
