/* test_main.c — runs the registered unit tests (all, or those whose name contains argv[1]) and
 * ends with the plain summary line "N passed, N failed". */
#include <stdlib.h>

#include "test.h"

static struct test_case *tests_head;

void test_register(struct test_case *tc)
{
    tc->next = tests_head;
    tests_head = tc;
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    struct test_case *reversed = NULL;

    /* constructors run in definition order; the list was built backwards */
    while (tests_head != NULL) {
        struct test_case *next = tests_head->next;
        tests_head->next = reversed;
        reversed = tests_head;
        tests_head = next;
    }
    for (struct test_case *tc = reversed; tc != NULL; tc = tc->next) {
        int test_failed = 0;
        if (argc > 1 && strstr(tc->name, argv[1]) == NULL)
            continue;
        tc->fn(&test_failed);
        if (test_failed) {
            fprintf(stderr, "FAIL %s (%s)\n", tc->name, tc->file);
            failed++;
        } else {
            passed++;
        }
    }
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
