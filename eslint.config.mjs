import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

/**
 * Tests read builder output through its types: a test file may not switch `no-explicit-any` off (nor every
 * rule at once, which switches it off too).
 */
const house = {
    rules: {
        "no-disabled-explicit-any": {
            meta: {
                type: "problem",
                schema: [],
                messages: {
                    disabled:
                        "Do not disable @typescript-eslint/no-explicit-any in a test: read builder output through its types.",
                },
            },
            create(context) {
                return {
                    Program() {
                        for (const comment of context.sourceCode.getAllComments()) {
                            const match =
                                /^\s*eslint-disable(?:-next-line|-line)?(?:\s+([^]*?))?(?:\s+--|$)/.exec(
                                    comment.value,
                                );
                            if (!match) continue;
                            const rules = (match[1] ?? "").split(",").map((r) => r.trim());
                            if (
                                rules.every((r) => r === "") ||
                                rules.includes("@typescript-eslint/no-explicit-any")
                            ) {
                                context.report({ loc: comment.loc, messageId: "disabled" });
                            }
                        }
                    },
                };
            },
        },
    },
};

export default tseslint.config(
    {
        ignores: [
            "node_modules/**",
            "**/node_modules/**",
            "out/**",
            // Generated from the pinned CRDs by `npm run gen:types`; a test keeps it in step with them.
            "components/core/generated/**",
            "**/*.cjs",
            "**/*.mjs",
            "**/*.js",
        ],
    },
    ...tseslint.configs.recommended,
    {
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
            ],
            // Kargo expressions belong in plain double-quoted strings: inside a template literal
            // `${{ … }}` is one escape away from becoming a JavaScript interpolation.
            "no-restricted-syntax": [
                "error",
                {
                    selector: "TemplateElement[value.raw=/\\$\\{\\{/]",
                    message:
                        "Write Kargo ${{ }} expressions in plain double-quoted strings, not template literals.",
                },
            ],
        },
    },
    {
        files: ["test/**/*.ts", "chart-release/test/**/*.ts"],
        plugins: { house },
        rules: { "house/no-disabled-explicit-any": "error" },
    },
);
