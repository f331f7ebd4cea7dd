"""The SPARQL 1.1 Protocol endpoint as one mountable unit: plan, guards, confinement, isolated
execution (endpoint.bp is the blueprint, execution.make_runner the query processes)."""
