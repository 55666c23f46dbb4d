package apiserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensionsclient "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/wait"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/restmapper"

	"release-pipeline/conformance/internal/cases"
)

// FieldManager is the manager name of every dry-run apply.
const FieldManager = "release-pipeline-conformance"

// ReadCRDs returns every CustomResourceDefinition in the YAML files under dir (recursively).
func ReadCRDs(dir string) ([]*apiextensionsv1.CustomResourceDefinition, error) {
	var out []*apiextensionsv1.CustomResourceDefinition
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
		for {
			var crd apiextensionsv1.CustomResourceDefinition
			if err := dec.Decode(&crd); err != nil {
				if errors.Is(err, io.EOF) {
					return nil
				}
				return fmt.Errorf("%s: %w", path, err)
			}
			if crd.Kind == "CustomResourceDefinition" {
				c := crd
				out = append(out, &c)
			}
		}
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// InstallCRDs creates the CRDs and waits until each is Established.
func (s *Server) InstallCRDs(ctx context.Context, crds []*apiextensionsv1.CustomResourceDefinition) error {
	client, err := apiextensionsclient.NewForConfig(s.Config)
	if err != nil {
		return err
	}
	for _, crd := range crds {
		crd.ResourceVersion = ""
		if _, err := client.ApiextensionsV1().CustomResourceDefinitions().Create(ctx, crd, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("create CRD %s: %w", crd.Name, err)
		}
	}
	for _, crd := range crds {
		err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, 60*time.Second, true, func(ctx context.Context) (bool, error) {
			got, err := client.ApiextensionsV1().CustomResourceDefinitions().Get(ctx, crd.Name, metav1.GetOptions{})
			if err != nil {
				return false, nil
			}
			for _, c := range got.Status.Conditions {
				if c.Type == apiextensionsv1.Established && c.Status == apiextensionsv1.ConditionTrue {
					return true, nil
				}
			}
			return false, nil
		})
		if err != nil {
			return fmt.Errorf("CRD %s not established: %w", crd.Name, err)
		}
	}
	return nil
}

// Judge dry-runs a server-side apply of every case's object. Namespaces the objects live in are
// created for real first, as the cluster would already have them.
func (s *Server) Judge(ctx context.Context, cs []cases.Case) ([]cases.Verdict, error) {
	kube, err := kubernetes.NewForConfig(s.Config)
	if err != nil {
		return nil, err
	}
	dyn, err := dynamic.NewForConfig(s.Config)
	if err != nil {
		return nil, err
	}
	disc, err := discovery.NewDiscoveryClientForConfig(s.Config)
	if err != nil {
		return nil, err
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(disc))
	if err := ensureNamespaces(ctx, kube, cs); err != nil {
		return nil, err
	}
	verdicts := make([]cases.Verdict, 0, len(cs))
	for _, c := range cs {
		verdicts = append(verdicts, judgeOne(ctx, dyn, mapper, c))
	}
	return verdicts, nil
}

func ensureNamespaces(ctx context.Context, kube kubernetes.Interface, cs []cases.Case) error {
	want := map[string]bool{}
	for _, c := range cs {
		u := unstructured.Unstructured{Object: c.Object}
		if ns := u.GetNamespace(); ns != "" {
			want[ns] = true
		}
	}
	for ns := range want {
		_, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
		if err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("create namespace %s: %w", ns, err)
		}
	}
	return nil
}

func judgeOne(ctx context.Context, dyn dynamic.Interface, mapper meta.RESTMapper, c cases.Case) cases.Verdict {
	u := &unstructured.Unstructured{Object: c.Object}
	gvk := u.GroupVersionKind()
	if gvk.Kind == "" || gvk.Version == "" {
		return cases.Verdict{ID: c.ID, Message: "Object 'Kind' is missing or apiVersion is invalid"}
	}
	m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return cases.Verdict{ID: c.ID, Message: fmt.Sprintf("no kind %s is registered: %v", gvk, err)}
	}
	var ri dynamic.ResourceInterface = dyn.Resource(m.Resource)
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		ns := u.GetNamespace()
		if ns == "" {
			ns = metav1.NamespaceDefault
		}
		ri = dyn.Resource(m.Resource).Namespace(ns)
	}
	got, err := ri.Apply(ctx, u.GetName(), u, metav1.ApplyOptions{FieldManager: FieldManager, Force: true, DryRun: []string{metav1.DryRunAll}})
	if err != nil {
		return cases.Verdict{ID: c.ID, Message: err.Error()}
	}
	// What the server stored (defaults applied, unknown fields pruned), minus server-set metadata.
	unstructured.RemoveNestedField(got.Object, "metadata", "managedFields")
	for _, f := range []string{"uid", "resourceVersion", "creationTimestamp", "generation"} {
		unstructured.RemoveNestedField(got.Object, "metadata", f)
	}
	delete(got.Object, "status")
	return cases.Verdict{ID: c.ID, Allowed: true, Result: got.Object}
}
