package tfgithub

import (
	"strings"
	"testing"

	"release-pipeline/conformance/internal/cases"
)

func TestJudge(t *testing.T) {
	ruleset := func(extra map[string]any) map[string]any {
		in := map[string]any{
			"name": "main", "repository": "gitops", "target": "branch", "enforcement": "active",
			"conditions": map[string]any{"refName": map[string]any{"includes": []any{"~DEFAULT_BRANCH"}, "excludes": []any{}}},
			"rules":      map[string]any{"deletion": true},
		}
		for k, v := range extra {
			in[k] = v
		}
		return map[string]any{"type": "github:index/repositoryRuleset:RepositoryRuleset", "inputs": in}
	}
	tests := []struct {
		name    string
		object  map[string]any
		wantErr string
	}{
		{"valid ruleset", ruleset(nil), ""},
		{"enforcement outside the enum", ruleset(map[string]any{"enforcement": "sometimes"}), "enforcement"},
		{"a field the translation cannot place", ruleset(map[string]any{"nope": 1}), "nope: no Terraform attribute"},
		{"not a github type", map[string]any{"type": "cloudflare:index/x:X"}, "not a @pulumi/github resource type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Judge(cases.Case{ID: tt.name, Object: tt.object})
			if tt.wantErr == "" {
				if !v.Allowed {
					t.Fatalf("refused: %s", v.Message)
				}
				return
			}
			if v.Allowed || !strings.Contains(v.Message, tt.wantErr) {
				t.Fatalf("verdict %+v, want a refusal containing %q", v, tt.wantErr)
			}
		})
	}
}
