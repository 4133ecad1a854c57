/* empty: the trace points are no-op macros in conformance/matrix/kstubs.h */
