import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

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
);
