// The doctest entry point of benchgate_unit_tests: every *_test.cpp in this folder links here.
// Nothing else lives in this file, so each module's tests stay in that module's file.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
