package expressions

import (
	"reflect"
	"testing"

	"release-pipeline/conformance/internal/cases"
)

func TestJudge(t *testing.T) {
	s := func(v string) *string { return &v }
	tests := []struct {
		name     string
		template string
		env      map[string]any
		allowed  bool
		want     any
	}{
		{"literal", "plain", nil, true, "plain"},
		{"one expression keeps its type", "${{ vars.n }}", map[string]any{"vars": map[string]any{"n": 3}}, true, float64(3)},
		{"mixed becomes a string", "v${{ vars.n }}", map[string]any{"vars": map[string]any{"n": 3}}, true, "v3"},
		{"quote", "${{ quote(vars.v) }}", map[string]any{"vars": map[string]any{"v": "1.2.3"}}, true, "1.2.3"},
		{"function from env", "${{ chartFrom('x').Version }}", map[string]any{"chartFrom()": map[string]any{"Version": "0.2.0"}}, true, "0.2.0"},
		{"field of an unknown variable", "${{ nope.x }}", map[string]any{}, false, nil},
		{"syntax error", "${{ vars. }}", map[string]any{"vars": map[string]any{}}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Judge(cases.Case{ID: tt.name, Template: s(tt.template), Env: tt.env})
			if v.Allowed != tt.allowed {
				t.Fatalf("allowed = %v (%s), want %v", v.Allowed, v.Message, tt.allowed)
			}
			if tt.allowed && !reflect.DeepEqual(v.Result, tt.want) {
				t.Fatalf("result = %#v, want %#v", v.Result, tt.want)
			}
		})
	}
}
