// Package expressions evaluates Kargo expression templates with Kargo v1.11.2's own engine
// (pkg/expressions/json_templates.go EvaluateTemplate: `${{ }}` splitting, quote/unsafeQuote,
// the rule that a template which is one expression keeps its type while anything else becomes a
// string). Kargo's freight functions (chartFrom, ...) live in pkg/expressions/function, which
// imports the api module that is not served here; a case supplies their results as plain values in
// its env instead, so the engine and the operators are upstream and those functions stay modelled.
package expressions

import (
	"github.com/akuity/kargo/pkg/expressions"
	"github.com/expr-lang/expr"

	"release-pipeline/conformance/internal/cases"
)

// Judge evaluates c.Template in c.Env. An env key ending in "()" binds a function stub:
// {"chartFrom()": {...}} makes chartFrom(...) return that value whatever its arguments.
func Judge(c cases.Case) cases.Verdict {
	if c.Template == nil {
		return cases.Verdict{ID: c.ID, Allowed: false, Message: "case has no template"}
	}
	env, opts := split(c.Env)
	v, err := expressions.EvaluateTemplate(*c.Template, env, opts...)
	if err != nil {
		return cases.Verdict{ID: c.ID, Allowed: false, Message: err.Error()}
	}
	return cases.Verdict{ID: c.ID, Allowed: true, Result: v}
}

func split(env map[string]any) (map[string]any, []expr.Option) {
	plain := map[string]any{}
	var opts []expr.Option
	for k, v := range env {
		if n := len(k); n > 2 && k[n-2:] == "()" {
			result := v
			opts = append(opts, expr.Function(k[:n-2], func(...any) (any, error) { return result, nil }))
			continue
		}
		plain[k] = v
	}
	return plain, opts
}
