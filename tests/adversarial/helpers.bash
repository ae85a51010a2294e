# The adversarial suite (tests/adversarial/*.bats): attacks a typed process
# could make on the enforcement engine, each one a test that failed before
# its fix.  It shares the integration suite's helpers (a private secpold per
# file, real processes under `on -T`) and its policy templates
# (tests/integration/policies).
load ../integration/helpers

POLICIES=$REPO/tests/integration/policies
