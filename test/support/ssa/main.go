// Command ssa replays a sequence of writes to one object through the API server's own field manager
// (k8s.io/apimachinery pkg/util/managedfields, the code kube-apiserver runs for every write), so a test can
// see which write a real API server would refuse with a server-side-apply conflict and who owns what after.
//
// Input (stdin): {"apiVersion", "kind", "steps": [{"op": "apply"|"update"|"reset", "manager", "force",
// "object"}]}. "apply" is a server-side apply (kubectl apply --server-side, pulumi-kubernetes in SSA mode),
// "update" a create/update/patch (kubectl create writes as manager "kubectl-create"), "reset" a delete.
// Output (stdout): one result per step: {"error", "managers", "live"}.
//
// Types are deduced from the objects (NewDeducedTypeConverter): lists are atomic, maps granular, which is
// what a CRD without list-type markers gets from the API server too.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/managedfields"
	"k8s.io/apimachinery/pkg/util/managedfields/managedfieldstest"
)

type step struct {
	Op      string                 `json:"op"`
	Manager string                 `json:"manager"`
	Force   bool                   `json:"force"`
	Object  map[string]interface{} `json:"object"`
}

type input struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Steps      []step `json:"steps"`
}

type result struct {
	Error    *string                `json:"error"`
	Managers []string               `json:"managers"`
	Live     map[string]interface{} `json:"live"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "ssa: reading the steps:", err)
		os.Exit(2)
	}
	gv, err := schema.ParseGroupVersion(in.APIVersion)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ssa:", err)
		os.Exit(2)
	}
	fm := managedfieldstest.NewTestFieldManager(managedfields.NewDeducedTypeConverter(), gv.WithKind(in.Kind))
	out := make([]result, 0, len(in.Steps))
	for i, s := range in.Steps {
		obj := &unstructured.Unstructured{Object: s.Object}
		var err error
		switch s.Op {
		case "apply":
			err = fm.Apply(obj, s.Manager, s.Force)
		case "update":
			err = fm.Update(obj, s.Manager)
		case "reset":
			fm.Reset()
		default:
			fmt.Fprintf(os.Stderr, "ssa: step %d: unknown op %q\n", i, s.Op)
			os.Exit(2)
		}
		r := result{Managers: []string{}}
		if err != nil {
			msg := err.Error()
			r.Error = &msg
		}
		for _, m := range fm.ManagedFields() {
			r.Managers = append(r.Managers, fmt.Sprintf("%s/%s", m.Manager, m.Operation))
		}
		if live, ok := fm.Live().(*unstructured.Unstructured); ok {
			r.Live = live.Object
		}
		out = append(out, r)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "ssa:", err)
		os.Exit(2)
	}
}
