.PHONY: run test lint lock
# The two commands of the README.
run:
	@scripts/run.sh
test:
	@scripts/test.sh $(ARGS)

# Static checks (CI runs them too).
lint:
	@scripts/lint.sh

# Re-resolve the pinned dependencies after editing pyproject.toml.
lock:
	@scripts/lock.sh
