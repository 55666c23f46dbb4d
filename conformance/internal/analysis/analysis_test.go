package analysis

import (
	"strings"
	"testing"

	"release-pipeline/conformance/internal/cases"
)

func ptr(s string) *string { return &s }

func template(metric map[string]any, args ...map[string]any) map[string]any {
	a := make([]any, 0, len(args))
	for _, x := range args {
		a = append(a, x)
	}
	return map[string]any{
		"apiVersion": "argoproj.io/v1alpha1",
		"kind":       "AnalysisTemplate",
		"spec":       map[string]any{"args": a, "metrics": []any{metric}},
	}
}

func web(extra map[string]any) map[string]any {
	m := map[string]any{
		"name":     "smoke",
		"provider": map[string]any{"web": map[string]any{"url": "https://{{args.host}}/healthz"}},
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func TestResolve(t *testing.T) {
	host := map[string]any{"name": "host"}
	tests := []struct {
		name    string
		object  map[string]any
		args    []cases.Arg
		wantErr string
	}{
		{"valid", template(web(map[string]any{"count": 3, "failureLimit": 1, "interval": "10s"}), host), []cases.Arg{{Name: "host", Value: ptr("dev.example.com")}}, ""},
		{"count below failureLimit", template(web(map[string]any{"count": 1, "failureLimit": 2}), host), []cases.Arg{{Name: "host", Value: ptr("h")}}, "count (1) must be >= failureLimit"},
		{"arg without value", template(web(nil), host), nil, "args.host was not resolved"},
		{"undeclared arg", template(web(nil)), nil, "failed to resolve {{args.host}}"},
		{"count above one needs an interval", template(web(map[string]any{"count": 2}), host), []cases.Arg{{Name: "host", Value: ptr("h")}}, "interval must be specified when count > 1"},
		{"duplicate metric names", map[string]any{"kind": "AnalysisTemplate", "spec": map[string]any{"metrics": []any{web(nil), web(nil)}, "args": []any{host}}}, []cases.Arg{{Name: "host", Value: ptr("h")}}, "duplicate name 'smoke'"},
		{"secret arg resolved as a placeholder", template(web(map[string]any{"successCondition": "result == '{{args.token}}'"}), host, map[string]any{"name": "token", "valueFrom": map[string]any{"secretKeyRef": map[string]any{"name": "s", "key": "k"}}}), []cases.Arg{{Name: "host", Value: ptr("h")}}, ""},
		{"not a template", map[string]any{"kind": "Stage"}, nil, "not an AnalysisTemplate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resolve(tt.object, tt.args)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}
