// libprotobuf-c's public API for differential tests and benchmarks only. Message descriptors are built at
// run time from our own FileDescriptorProtos; helpers for that live beside this header as static inlines.
#ifndef ACCORD_CPROTOBUFC_SHIM_H
#define ACCORD_CPROTOBUFC_SHIM_H
#include <protobuf-c/protobuf-c.h>
#endif
