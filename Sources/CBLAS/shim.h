#ifndef NEXTTOKEN_CBLAS_SHIM_H
#define NEXTTOKEN_CBLAS_SHIM_H
#include <cblas.h>
#endif
