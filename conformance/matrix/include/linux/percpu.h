/* empty: conformance/matrix/kstubs.h (force-included) stands in for the kernel headers matrix.c names */
