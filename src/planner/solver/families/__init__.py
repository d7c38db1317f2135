"""One module per constraint family of the spec ("What a valid schedule satisfies" and its rules table);
`planner.solver.model.build_model` composes them."""
