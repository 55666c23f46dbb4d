// Package analysis runs Argo Rollouts v1.9.1's own AnalysisRun checks on the AnalysisTemplates the
// stack declares, with the arguments a Kargo Stage's verification passes them.
//
// What is upstream here: argument merging (utils/analysis/helpers.go MergeArgs), per-metric argument
// resolution (utils/analysis/factory.go ResolveMetricArgs, as analysis/analysis.go
// getResolvedMetricsWithoutSecrets calls it) and metric validation (factory.go ValidateMetrics), in the
// order the controller's reconcileAnalysisRun applies them; any error there puts the AnalysisRun in
// phase Error, so nothing is verified. What stays modelled: Kargo's own builder around it
// (pkg/rollouts analysis_run_builder.go, flattenTemplates/mergeArgs), which imports Kargo's api
// module, not served here (docs/upstream.md).
package analysis

import (
	"encoding/json"
	"fmt"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	analysisutil "github.com/argoproj/argo-rollouts/utils/analysis"

	"release-pipeline/conformance/internal/cases"
)

// Judge runs one case: c.Object is an AnalysisTemplate or ClusterAnalysisTemplate, c.Args the
// Stage's verification arguments (already evaluated to strings).
func Judge(c cases.Case) cases.Verdict {
	metrics, err := Resolve(c.Object, c.Args)
	if err != nil {
		return cases.Verdict{ID: c.ID, Allowed: false, Message: err.Error()}
	}
	return cases.Verdict{ID: c.ID, Allowed: true, Result: len(metrics)}
}

// Resolve returns the metrics an AnalysisRun built from the template would run, or the error that
// would put that run in phase Error.
func Resolve(object map[string]any, stageArgs []cases.Arg) ([]v1alpha1.Metric, error) {
	spec, err := templateSpec(object)
	if err != nil {
		return nil, err
	}
	incoming := make([]v1alpha1.Argument, 0, len(stageArgs))
	for _, a := range stageArgs {
		incoming = append(incoming, v1alpha1.Argument{Name: a.Name, Value: a.Value})
	}
	args, err := analysisutil.MergeArgs(incoming, spec.Args)
	if err != nil {
		return nil, fmt.Errorf("Unable to resolve metric arguments: %w", err)
	}
	// analysis/analysis.go getResolvedMetricsWithoutSecrets (unexported, so restated here): a secret
	// argument is resolved as a placeholder before the metrics are resolved and validated.
	withoutSecrets := make([]v1alpha1.Argument, 0, len(args))
	for _, a := range args {
		a := *a.DeepCopy()
		if a.ValueFrom != nil && a.ValueFrom.SecretKeyRef != nil {
			a.ValueFrom = nil
			placeholder := "temp-for-secret"
			a.Value = &placeholder
		}
		withoutSecrets = append(withoutSecrets, a)
	}
	resolved := make([]v1alpha1.Metric, 0, len(spec.Metrics))
	for _, m := range spec.Metrics {
		r, err := analysisutil.ResolveMetricArgs(m, withoutSecrets)
		if err != nil {
			return nil, fmt.Errorf("Unable to resolve metric arguments: %w", err)
		}
		resolved = append(resolved, *r)
	}
	if err := analysisutil.ValidateMetrics(resolved); err != nil {
		return nil, fmt.Errorf("Analysis spec invalid: %w", err)
	}
	return resolved, nil
}

func templateSpec(object map[string]any) (*v1alpha1.AnalysisTemplateSpec, error) {
	kind, _ := object["kind"].(string)
	if kind != "AnalysisTemplate" && kind != "ClusterAnalysisTemplate" {
		return nil, fmt.Errorf("not an AnalysisTemplate: kind %q", kind)
	}
	raw, err := json.Marshal(object["spec"])
	if err != nil {
		return nil, err
	}
	var spec v1alpha1.AnalysisTemplateSpec
	// Strict decoding is the API server's business (the apiserver harness); here, as in the
	// controller, the object has already been admitted and is read leniently.
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("decode spec: %w", err)
	}
	return &spec, nil
}
