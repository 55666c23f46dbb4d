// Command oracle runs pinned upstream code on cases the TypeScript tree writes, and writes upstream's
// verdicts back: the oracle of the differential tests (docs/upstream.md).
//
//	oracle apiserver   --crds DIR --cases FILE --out FILE [--log FILE]
//	oracle analysis    --cases FILE --out FILE
//	oracle expressions --cases FILE --out FILE
//	oracle github     --cases FILE --out FILE
//
// Exit 0 when every case was judged (whatever the verdicts), 1 when the harness itself failed,
// 2 on usage errors.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"release-pipeline/conformance/internal/analysis"
	"release-pipeline/conformance/internal/apiserver"
	"release-pipeline/conformance/internal/cases"
	"release-pipeline/conformance/internal/expressions"
	"release-pipeline/conformance/internal/tfgithub"
)

const usage = `usage: oracle apiserver --crds DIR --cases FILE --out FILE [--log FILE]
       oracle analysis --cases FILE --out FILE
       oracle expressions --cases FILE --out FILE
       oracle github --cases FILE --out FILE`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	cmd := os.Args[1]
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	casesPath := fs.String("cases", "", "cases JSON file")
	outPath := fs.String("out", "", "verdicts JSON file to write")
	crdDir := fs.String("crds", "", "directory of pinned CRD YAML files (apiserver)")
	logPath := fs.String("log", "", "file for the API server's log (apiserver; default: discarded)")
	if err := fs.Parse(os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	if *casesPath == "" || *outPath == "" || (cmd == "apiserver" && *crdDir == "") {
		fmt.Fprintf(os.Stderr, "oracle %s: --cases and --out are required (and --crds for apiserver)\n%s\n", cmd, usage)
		os.Exit(2)
	}
	cs, err := cases.Read(*casesPath)
	if err != nil {
		fail(err)
	}
	var verdicts []cases.Verdict
	switch cmd {
	case "analysis":
		verdicts = judgeEach(cs, analysis.Judge)
	case "expressions":
		verdicts = judgeEach(cs, expressions.Judge)
	case "github":
		verdicts = judgeEach(cs, tfgithub.Judge)
	case "apiserver":
		verdicts, err = runAPIServer(*crdDir, *logPath, cs)
		if err != nil {
			fail(err)
		}
	default:
		fmt.Fprintf(os.Stderr, "oracle: unknown harness %q\n%s\n", cmd, usage)
		os.Exit(2)
	}
	if err := cases.Write(*outPath, verdicts); err != nil {
		fail(err)
	}
}

func judgeEach(cs []cases.Case, judge func(cases.Case) cases.Verdict) []cases.Verdict {
	out := make([]cases.Verdict, 0, len(cs))
	for _, c := range cs {
		out = append(out, judge(c))
	}
	return out
}

func runAPIServer(crdDir, logPath string, cs []cases.Case) ([]cases.Verdict, error) {
	crds, err := apiserver.ReadCRDs(crdDir)
	if err != nil {
		return nil, err
	}
	if len(crds) == 0 {
		return nil, fmt.Errorf("no CustomResourceDefinition found under %s", crdDir)
	}
	var log io.Writer = io.Discard
	if logPath != "" {
		f, err := os.Create(logPath)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		log = f
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	started := time.Now()
	srv, err := apiserver.Start(ctx, log)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	fmt.Fprintf(os.Stderr, "oracle apiserver: etcd + kube-apiserver up in %s\n", time.Since(started).Round(time.Millisecond))
	if err := srv.InstallCRDs(ctx, crds); err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "oracle apiserver: %d CRDs established\n", len(crds))
	return srv.Judge(ctx, cs)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "oracle: %v\n", err)
	os.Exit(1)
}
