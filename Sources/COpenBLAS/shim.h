// OpenBLAS's CBLAS interface (Debian: libopenblas-dev; pkg-config: openblas).
#include <cblas.h>
// Thread control is an OpenBLAS extension, declared in cblas.h of OpenBLAS.

// LAPACK's symmetric eigensolver (divide and conquer), exported by OpenBLAS with the Fortran
// calling convention (arguments by pointer, column-major). Declared here because Debian's
// libopenblas-dev ships no lapacke.h.
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info);
