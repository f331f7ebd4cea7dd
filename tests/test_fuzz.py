"""Schemathesis over every operation of /openapi.json: no 5xx, nothing off-schema.

In-process (WSGI transport) against the real app and store. `FUZZ_EXAMPLES` sets the generated
cases per operation and generation mode (positive: valid per the schema; negative: invalid);
`make fuzz` raises it. The operations are driven with Hypothesis directly: schemathesis's
pytest plugin does not run under pytest 9.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import SUMMARY

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def fuzz(operation, mode: GenerationMode, calls: Counter, statuses: Counter) -> None:
    checks = CHECKS + ([negative_data_rejection] if mode == GenerationMode.NEGATIVE else [])

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        # the WSGI transport does not undo Content-Encoding as an HTTP client would
        response = case.call_and_validate(checks=checks, headers={"Accept-Encoding": "identity"})
        calls[operation.label] += 1
        statuses[response.status_code] += 1

    run()


@pytest.mark.parametrize("mode", list(GenerationMode), ids=str)
def test_every_operation_answers_on_schema(app, mode):
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    calls: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    failures, no_invalid_input = [], []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        try:
            fuzz(operation, mode, calls, statuses)
        except Unsatisfiable:  # e.g. /health has no input that could break its schema
            no_invalid_input.append(operation.label)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect them all
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:1500]}")
    fewest = min(calls.values(), default=0)
    SUMMARY.append(
        f"fuzz ({mode}): {sum(calls.values())} cases over {len(operations)} operations "
        f"(fewest {fewest}: {[op for op, n in calls.items() if n == fewest][:3]}), "
        f"statuses {dict(sorted(statuses.items()))}, "
        f"{sum(n for s, n in statuses.items() if s >= 500)} x 5xx, {len(failures)} failing operations"
        + (f"; no invalid input exists for {no_invalid_input}" if no_invalid_input else "")
    )
    assert not failures, "\n\n".join(failures)
    assert len(calls) + len(no_invalid_input) == len(operations)
    if mode == GenerationMode.POSITIVE:
        assert len(calls) == len(operations)
