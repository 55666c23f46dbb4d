// Mocha's spec reporter plus the plain closing line CI reads: "N passed, N failed".
"use strict";
const Mocha = require("mocha");
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        runner.once(EVENT_RUN_END, () => {
            const { passes, failures, pending } = runner.stats ?? this.stats;
            const skipped = pending ? `, ${pending} skipped` : "";
            // Printed after the spec epilogue so it is the last line of the run.
            process.on("exit", () => console.log(`${passes} passed, ${failures} failed${skipped}`));
        });
    }
}
module.exports = SummaryReporter;
