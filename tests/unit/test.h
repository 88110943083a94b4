/* test.h — the C unit-test harness: TEST(name) defines and registers a test (no central list to
 * edit), and the ASSERT macros print both sides on failure and end the current test.
 * Run all with build/test/unit_tests, or some with a name substring as argument. */
#ifndef DYNASTREAM_TEST_H
#define DYNASTREAM_TEST_H

#include <stdio.h>
#include <string.h>

struct test_case {
    const char *name;
    const char *file;
    void (*fn)(int *failed);
    struct test_case *next;
};

void test_register(struct test_case *tc);

#define TEST(name)                                                              \
    static void test_fn_##name(int *test_failed_);                              \
    static struct test_case test_case_##name = {#name, __FILE__, test_fn_##name, NULL}; \
    __attribute__((constructor)) static void test_reg_##name(void) { test_register(&test_case_##name); } \
    static void test_fn_##name(int *test_failed_)

#define TEST_FAIL_(...)                                                         \
    do {                                                                        \
        fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                       \
        fprintf(stderr, __VA_ARGS__);                                           \
        fprintf(stderr, "\n");                                                  \
        *test_failed_ = 1;                                                      \
        return;                                                                 \
    } while (0)

#define ASSERT(cond)                                                            \
    do { if (!(cond)) TEST_FAIL_("assertion failed: %s", #cond); } while (0)

#define ASSERT_EQ_INT(a, b)                                                     \
    do {                                                                        \
        long long a_ = (long long)(a), b_ = (long long)(b);                     \
        if (a_ != b_) TEST_FAIL_("%s == %s: %lld != %lld", #a, #b, a_, b_);     \
    } while (0)

#define ASSERT_EQ_STR(a, b)                                                     \
    do {                                                                        \
        const char *a_ = (a), *b_ = (b);                                        \
        if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)                    \
            TEST_FAIL_("%s == %s:\n    got:      \"%s\"\n    expected: \"%s\"", #a, #b, \
                       a_ ? a_ : "(null)", b_ ? b_ : "(null)");                 \
    } while (0)

#endif
