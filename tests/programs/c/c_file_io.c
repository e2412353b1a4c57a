/*
 * C through wasi-libc: stdio file I/O, printf formatting, stat, a directory
 * listing and errno. Run with --dir HOST::/ ; prints a deterministic transcript
 * and exits 1 with "FAIL: ..." on stderr if anything is off.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void check(int condition, const char *what) {
    if (!condition) {
        fprintf(stderr, "FAIL: %s (errno %d: %s)\n", what, errno, strerror(errno));
        exit(1);
    }
}

static int compare_names(const void *left, const void *right) {
    return strcmp(*(char *const *)left, *(char *const *)right);
}

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);

    FILE *out = fopen("/c-data/numbers.txt", "w");
    if (out == NULL && errno == ENOENT) {
        check(mkdir("/c-data", 0755) == 0, "mkdir /c-data");
        out = fopen("/c-data/numbers.txt", "w");
    }
    check(out != NULL, "fopen for writing");
    for (int i = 1; i <= 5; i++) {
        fprintf(out, "%d squared is %d\n", i, i * i);
    }
    check(fclose(out) == 0, "fclose after writing");
    printf("wrote 5 lines\n");

    FILE *in = fopen("/c-data/numbers.txt", "r");
    check(in != NULL, "fopen for reading");
    char line[128];
    int lines = 0;
    long sum = 0;
    while (fgets(line, sizeof line, in) != NULL) {
        int base, square;
        check(sscanf(line, "%d squared is %d", &base, &square) == 2, "parse a line");
        sum += square;
        lines++;
    }
    check(fclose(in) == 0, "fclose after reading");
    printf("read %d lines, sum of squares %ld\n", lines, sum);
    check(lines == 5 && sum == 55, "the lines read back");

    struct stat status;
    check(stat("/c-data/numbers.txt", &status) == 0, "stat");
    printf("size %lld bytes, regular file: %s\n", (long long)status.st_size, S_ISREG(status.st_mode) ? "yes" : "no");

    check(rename("/c-data/numbers.txt", "/c-data/squares.txt") == 0, "rename");
    FILE *extra = fopen("/c-data/extra.txt", "w");
    check(extra != NULL && fputs("x\n", extra) >= 0 && fclose(extra) == 0, "write extra.txt");

    DIR *dir = opendir("/c-data");
    check(dir != NULL, "opendir");
    char *names[16];
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && count < 16) {
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) {
            names[count++] = strdup(entry->d_name);
        }
    }
    closedir(dir);
    qsort(names, count, sizeof names[0], compare_names);
    printf("listing:");
    for (int i = 0; i < count; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");

    errno = 0;
    check(fopen("/c-data/missing.txt", "r") == NULL && errno == ENOENT, "a missing file is ENOENT");
    printf("missing file: ENOENT\n");

    check(unlink("/c-data/squares.txt") == 0 && unlink("/c-data/extra.txt") == 0, "unlink");
    check(rmdir("/c-data") == 0, "rmdir");
    printf("cleaned up; %s\n", argc > 1 ? argv[1] : "no argument");
    return 0;
}
