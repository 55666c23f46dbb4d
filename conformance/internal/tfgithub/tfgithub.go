// Package tfgithub runs terraform-provider-github v6.13.0's own resource validation (the schema's types,
// required and conflicting attributes, ValidateFunc/ValidateDiagFunc of each attribute, MaxItems) on the
// inputs the stack declares for its @pulumi/github 6.15.0 resources, which bridge that provider version.
// It is what the provider's Check would refuse in `pulumi preview`: the bridge's Check hands the inputs,
// translated to Terraform names, to the provider's ValidateResourceTypeConfig, i.e. schema.Resource.Validate.
//
// The Pulumi plugin itself (github.com/pulumi/pulumi-github/provider/v6) is not served here, so the
// bridge's name translation is restated below from its rules (pulumi-terraform-bridge tfbridge names:
// camelCase ↔ snake_case, a block of MaxItems 1 flattened to an object, a plural Pulumi name for a
// singular Terraform list). A Pulumi field this translation cannot place is reported, never dropped.
package tfgithub

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/terraform"
	"github.com/integrations/terraform-provider-github/v6/github"

	"release-pipeline/conformance/internal/cases"
)

var provider = github.NewProvider("v6.13.0", "conformance")()

// Judge validates one resource: c.Object is {"type": "github:index/x:X", "inputs": {...}}.
func Judge(c cases.Case) cases.Verdict {
	typ, _ := c.Object["type"].(string)
	inputs, _ := c.Object["inputs"].(map[string]any)
	name, err := terraformName(typ)
	if err != nil {
		return cases.Verdict{ID: c.ID, Message: err.Error()}
	}
	res, ok := provider.ResourcesMap[name]
	if !ok {
		return cases.Verdict{ID: c.ID, Message: fmt.Sprintf("terraform-provider-github has no resource %s (from %s)", name, typ)}
	}
	raw, problems := toTerraform(res.SchemaMap(), inputs, "")
	if len(problems) > 0 {
		return cases.Verdict{ID: c.ID, Message: strings.Join(problems, "; ")}
	}
	diags := res.Validate(terraform.NewResourceConfigRaw(raw))
	var errs []string
	for _, d := range diags {
		if d.Severity == 0 { // diag.Error
			errs = append(errs, strings.TrimSpace(d.Summary+" "+d.Detail))
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return cases.Verdict{ID: c.ID, Message: strings.Join(errs, "; ")}
	}
	return cases.Verdict{ID: c.ID, Allowed: true}
}

// terraformName maps github:index/repositoryRuleset:RepositoryRuleset to github_repository_ruleset.
func terraformName(typ string) (string, error) {
	parts := strings.Split(typ, ":")
	if len(parts) != 3 || parts[0] != "github" {
		return "", fmt.Errorf("not a @pulumi/github resource type: %q", typ)
	}
	return "github_" + snake(parts[2]), nil
}

func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func toTerraform(sm map[string]*schema.Schema, in map[string]any, at string) (map[string]any, []string) {
	out := map[string]any{}
	var problems []string
	for k, v := range in {
		if strings.HasPrefix(k, "__") {
			continue
		}
		key, s := lookup(sm, k)
		if s == nil {
			problems = append(problems, fmt.Sprintf("%s%s: no Terraform attribute for this Pulumi field", at, k))
			continue
		}
		value, ps := convert(s, v, at+key)
		problems = append(problems, ps...)
		out[key] = value
	}
	return out, problems
}

func lookup(sm map[string]*schema.Schema, pulumiName string) (string, *schema.Schema) {
	key := snake(pulumiName)
	if s, ok := sm[key]; ok {
		return key, s
	}
	if singular := strings.TrimSuffix(key, "s"); singular != key {
		if s, ok := sm[singular]; ok {
			return singular, s
		}
	}
	return key, nil
}

func convert(s *schema.Schema, v any, at string) (any, []string) {
	elem, isBlock := s.Elem.(*schema.Resource)
	switch s.Type {
	case schema.TypeList, schema.TypeSet:
		items, isList := v.([]any)
		if !isList {
			if obj, ok := v.(map[string]any); ok && isBlock {
				items = []any{obj} // MaxItems 1: the bridge shows the block as one object
			} else {
				return v, nil
			}
		}
		if !isBlock {
			return items, nil
		}
		out := make([]any, 0, len(items))
		var problems []string
		for i, it := range items {
			obj, ok := it.(map[string]any)
			if !ok {
				out = append(out, it)
				continue
			}
			o, ps := toTerraform(elem.SchemaMap(), obj, fmt.Sprintf("%s[%d].", at, i))
			problems = append(problems, ps...)
			out = append(out, o)
		}
		return out, problems
	}
	return v, nil
}
