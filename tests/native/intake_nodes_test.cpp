// Several intake nodes on one PostgreSQL store (run with the test cluster).
#include <boost/test/unit_test.hpp>

#include "tests/support/intake_fixture.hpp"

BOOST_AUTO_TEST_SUITE(intake_nodes)
BOOST_AUTO_TEST_CASE(placeholder) { BOOST_TEST(true); }
BOOST_AUTO_TEST_SUITE_END()
