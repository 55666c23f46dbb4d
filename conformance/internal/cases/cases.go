// Package cases is the file contract between the TypeScript tree and the oracle: a JSON file of
// cases in, a JSON file of verdicts out. Neither side imports the other (docs/layout).
package cases

import (
	"encoding/json"
	"fmt"
	"os"
)

// Case is one input the oracle judges. Which fields are set depends on the harness.
type Case struct {
	// ID names the case in both trees' reports; unique within a file.
	ID string `json:"id"`
	// Object is a Kubernetes object as the synth writes it (apiserver, analysis).
	Object map[string]any `json:"object,omitempty"`
	// Args are the arguments a Kargo Stage's verification passes to an AnalysisTemplate (analysis).
	Args []Arg `json:"args,omitempty"`
	// Template is a Kargo expression template (expressions).
	Template *string `json:"template,omitempty"`
	// Env is the expression environment: vars, ctx, outputs, ... (expressions).
	Env map[string]any `json:"env,omitempty"`
}

// Arg is one name/value argument, as in a Stage's spec.verification.args.
type Arg struct {
	Name  string  `json:"name"`
	Value *string `json:"value,omitempty"`
}

// Verdict is the oracle's answer for one case.
type Verdict struct {
	ID      string `json:"id"`
	Allowed bool   `json:"allowed"`
	// Message is upstream's error, verbatim, when Allowed is false.
	Message string `json:"message,omitempty"`
	// Result is the evaluated value where the harness produces one (expressions, defaulted objects).
	Result any `json:"result"`
}

// Read loads a cases file: {"cases": [...]}; IDs must be unique.
func Read(path string) ([]Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var file struct {
		Cases []Case `json:"cases"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	seen := map[string]bool{}
	for i, c := range file.Cases {
		if c.ID == "" {
			return nil, fmt.Errorf("%s: cases[%d] has no id", path, i)
		}
		if seen[c.ID] {
			return nil, fmt.Errorf("%s: duplicate case id %q", path, c.ID)
		}
		seen[c.ID] = true
	}
	return file.Cases, nil
}

// Write stores verdicts as {"verdicts": [...]}.
func Write(path string, verdicts []Verdict) error {
	data, err := json.MarshalIndent(struct {
		Verdicts []Verdict `json:"verdicts"`
	}{verdicts}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
